"""`python -m jpllmkg`: the `jpllmkg` console script (:func:`jpllmkg.cli.main`), same exit code."""

import sys

from jpllmkg.cli import main

if __name__ == "__main__":
    sys.exit(main())
