"""Allow ``python -m polytomic_mcp``."""

from polytomic_mcp.cli import main

raise SystemExit(main())
