"""What every tool family shares: declaring tools, per-key services, errors, result text, checks and the write pipeline.

``core`` imports no family; families import ``core`` and never each other; the server imports ``core`` (and a
family's views only where a resource shows the same object).
"""
