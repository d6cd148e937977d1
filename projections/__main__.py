"""``python -m projections``."""

import sys

from projections.cli import main

if __name__ == "__main__":
    sys.exit(main())
