"""Connections and connection types: list, describe a type, create (configuration checked against the type's schema), update."""
