"""Resource logic (validate, build, store, cascade) shared by the HTTP routes and the seed helpers."""
