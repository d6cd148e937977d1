"""`python -m projections.needs` entry point."""

from projections.needs.cli import main

raise SystemExit(main())
