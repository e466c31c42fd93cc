"""delete: a connection, model or sync, with what uses it when forced; the plan is read before anything goes."""
