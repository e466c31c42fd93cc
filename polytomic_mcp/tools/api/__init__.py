"""search_api and call_api: a guarded path to every API operation the typed tools do not cover."""
