"""``python -m analysis``: see :mod:`analysis.cli`."""

import sys

if __name__ == "__main__":  # not when a worker process imports this module
    try:
        from analysis.cli import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C, also while the libraries are imported
        print("interrupted", file=sys.stderr)
        sys.exit(130)
