"""``python -m retouch.fakehub``: run the fake hub in the foreground."""

import sys

from .cli import main

sys.exit(main())
