"""``python -m dispatch_desktop``: the desktop app."""

import sys

from dispatch_desktop.cli import main

sys.exit(main())
