"""A demo Dispatch server for newcomers, training, kiosks in drill mode and integration tests.

Start it with ``python -m dispatch_desktop.demo`` (or ``dispatch-demo-server``), or in code::

    with DemoServer(speed=10) as server:
        print(server.url)  # http://127.0.0.1:PORT/dispatch/api

Sign in as ``DEMO_USERNAME`` / ``DEMO_PASSWORD`` or with ``DEMO_API_KEY``.
"""

from dispatch_desktop.demo.data import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    group_names,
    saved_tag_filter_names,
    tag_vocabulary,
)
from dispatch_desktop.demo.server import FAULTS, DemoServer

__all__ = [
    "DEMO_API_KEY",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "FAULTS",
    "DemoServer",
    "group_names",
    "saved_tag_filter_names",
    "tag_vocabulary",
]
