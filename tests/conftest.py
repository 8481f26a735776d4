"""Shared test setup.

Qt must see QT_QPA_PLATFORM before it is imported anywhere, so it is set here, first.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the user's real data, settings or keyring.
os.environ.setdefault("DISPATCH_DESKTOP_TESTING", "1")
