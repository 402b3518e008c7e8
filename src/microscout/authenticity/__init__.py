"""Authenticity: fake accounts, audience quality, bought followers and engagement, pods."""
