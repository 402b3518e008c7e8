"""Campaign planning: costs, audience overlap, budget allocation and strategy comparison."""
