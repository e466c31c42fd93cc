"""Developer tools run from a checkout, never shipped: generators of the committed files and their staleness check.

    python -m dev.regenerate           # rewrite every generated file
    python -m dev.regenerate --check   # exit 1 naming each stale file (a CI step)
"""
