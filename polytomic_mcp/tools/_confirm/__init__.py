"""Asking the user before a sync changes existing records: outcomes, the question, the resolvers."""
