"""How tools are declared, served and rendered: registry, per-key services, errors, result views, paging, notifications."""
