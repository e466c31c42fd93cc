"""A small store that answers every catalog operation no simulated domain serves, driven by the catalog alone.

``plans`` reads what an operation does from its path template and method, ``shapes`` makes and filters values by
the SDK's response types (``catalog.response``), ``records`` keeps each workspace's objects, ``owners`` checks
the objects a path hangs under, ``engine`` answers a request and ``route`` is its Starlette endpoint.
"""
