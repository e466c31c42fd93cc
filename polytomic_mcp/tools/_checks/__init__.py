"""Checks made before an API call: configuration and sync mappings, unique names, usable connections, lookups."""
