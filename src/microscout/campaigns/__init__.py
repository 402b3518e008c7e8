"""Campaigns: relationships with creators, their terms and history; tracking follows."""
