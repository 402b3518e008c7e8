"""Discovery: from a brief to a ranked, explainable shortlist, and the other ways to find creators."""
