"""Models: what a source offers, create (a Polytomic job, followed), list, update (refused when it breaks a sync)."""
