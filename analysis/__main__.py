"""``python -m analysis``: see :mod:`analysis.cli`."""

import sys

try:
    from analysis.cli import main

    sys.exit(main())
except KeyboardInterrupt:  # Ctrl-C, also while the libraries are imported
    print("interrupted", file=sys.stderr)
    sys.exit(130)
