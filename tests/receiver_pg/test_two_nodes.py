"""Two receiver processes on one PostgreSQL database: callbacks from 8 senders spread over both
(as a reverse proxy does, retrying a failed one at the other node), one node SIGKILLed in the
middle. Every event that got a 200 is stored exactly once, and two desktop followers (one
starting at each node, the first failing over) each hand every event to the monitor once; the
killed node, started again, serves the same feed as the other."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from event_http import event_body, post
from nodes import CALLBACK_TOKEN, EVENTS_TOKEN, Node, feed_page, start_node
from test_event_source import Collector

from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.events.model import parse_callback
from dispatch_desktop.events.source import EventSource

SENDERS = 8
PER_SENDER = 50
PATH = f"/callbacks/{CALLBACK_TOKEN}"


def send_all(sender: int, nodes: list[Node], acknowledged: list[str]) -> None:
    """POST this sender's events, each to the next node in turn; a POST that fails (no answer,
    or not 200) goes to the other node, as the proxy's retry would."""
    for n in range(PER_SENDER):
        number = sender * 1000 + n
        for attempt in range(40):
            node = nodes[(sender + n + attempt) % 2]
            try:
                answer = post(node.port, PATH, event_body(number), timeout=10)
            except OSError:
                continue
            if answer.status == 200:
                acknowledged.append(f"Responder {number}")
                break
            time.sleep(0.05)


def stored_names(address: str) -> list[str]:
    with psycopg.connect(address) as connection:
        rows = connection.execute("SELECT raw FROM events").fetchall()
    return [str(parse_callback(raw).sendname) for (raw,) in rows]


def whole_feed(node: Node) -> list[tuple[int, str]]:
    """``GET /events`` from the first cursor to the last: (cursor, sendname) in order."""
    feed: list[tuple[int, str]] = []
    cursor = 0
    while True:
        page = feed_page(node.port, cursor, 97)
        if not page["events"]:
            return feed
        feed += [(event["cursor"], event["sendname"]) for event in page["events"]]
        cursor = page["cursor"]


def wait_until(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_node_killed_under_load_loses_nothing_and_followers_fail_over(
    pg_address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dispatch_desktop.events.source.RETRY_SECONDS", 0.2)
    nodes = [start_node(tmp_path / name, "--store", pg_address) for name in ("node-a", "node-b")]
    a, b = (node.base_url for node in nodes)
    monitors = [Collector(), Collector()]
    orders = (f"{a} {b}", f"{b}, {a}")  # as typed in Settings: spaces or commas
    sources = [
        EventSource(
            SourceConfig(SourceMode.FOLLOW, follow_url=urls, follow_token=EVENTS_TOKEN),
            tmp_path / f"desktop-{number}",
            monitor.on_events,
            monitor.on_status,
        )
        for number, (urls, monitor) in enumerate(zip(orders, monitors, strict=True))
    ]
    acknowledged: list[str] = []
    try:
        for source in sources:
            source.start()
        senders = [
            threading.Thread(target=send_all, args=(s, nodes, acknowledged)) for s in range(SENDERS)
        ]
        for sender in senders:
            sender.start()
        wait_until(lambda: len(acknowledged) >= SENDERS * PER_SENDER // 2, 60)
        os.kill(nodes[0].process.pid, signal.SIGKILL)
        for sender in senders:
            sender.join(120)
        stored = stored_names(pg_address)
        for monitor in monitors:
            wait_until(lambda m=monitor: len(m.events) >= len(stored), 60)
        nodes.append(start_node(tmp_path / "node-a-again", "--store", pg_address))
        feeds = [whole_feed(node) for node in nodes[1:]]  # node B, and A restarted
    finally:
        for source in sources:
            source.stop()
        for node in nodes:
            node.stop()
    sent = SENDERS * PER_SENDER
    seen = [Counter(str(event.sendname) for event in monitor.events) for monitor in monitors]
    print(  # the figures of the closing note (pytest -s)
        f"\nfailover: sent {sent}, acknowledged {len(acknowledged)}, stored {len(stored)}, "
        f"seen by follower 1 {seen[0].total()}, by follower 2 {seen[1].total()}"
    )
    assert len(acknowledged) == sent  # every event got its 200, at one node or the other
    assert Counter(stored) == Counter(acknowledged)  # each stored exactly once
    assert seen == [Counter(stored), Counter(stored)]  # each handed over exactly once
    assert f"Following job events from {a}" in monitors[0].status
    assert f"Following job events from {b}" in monitors[0].status  # failed over to node B
    assert nodes[0].process.returncode == -signal.SIGKILL
    assert feeds[0] == feeds[1]  # the same events, cursors and order from any node
    assert len(feeds[0]) == len(stored)
