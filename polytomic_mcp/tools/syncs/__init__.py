"""Model syncs and bulk syncs: targets, create, list, update, and the run tools that take either kind's id."""
