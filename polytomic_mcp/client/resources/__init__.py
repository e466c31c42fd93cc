"""One module per API resource; each wraps the shared request pipeline."""
