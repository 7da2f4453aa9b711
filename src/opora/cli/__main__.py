"""``python -m opora.cli``: the same as the ``opora`` command."""

import sys

from opora.cli import main

if __name__ == "__main__":
    sys.exit(main())
