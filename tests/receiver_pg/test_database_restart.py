"""The database stopped and started again under load: callbacks get 503 while it is down (the
sender retries), /health says so, both nodes recover on their own once it is back, and nothing
that got a 200 is lost or stored twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from event_http import event_body, post, request
from pgcluster import Cluster

from dispatch_desktop.events import CallbackReceiver
from dispatch_desktop.events.pgstore import PostgresEventStore

EVENTS_TOKEN = "events-token-0123456789"
SENDERS = 8


@pytest.fixture
def nodes(pg_address: str) -> Iterator[list[CallbackReceiver]]:
    stores = [PostgresEventStore(pg_address) for _ in range(2)]
    receivers = [
        CallbackReceiver(store, serve_events=True, events_token=EVENTS_TOKEN).start()
        for store in stores
    ]
    yield receivers
    for receiver in receivers:
        receiver.stop()
        receiver.store.close()


def health(node: CallbackReceiver) -> int:
    return request(node.port, "GET", "/health").status


@pytest.mark.parametrize("mode", ["fast", "immediate"])  # a restart; a crash
def test_database_down_means_503_then_recovery_and_nothing_acknowledged_lost(
    pg_cluster: Cluster, nodes: list[CallbackReceiver], mode: str
) -> None:
    acknowledged: list[str] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_sending = threading.Event()

    def send(sender: int) -> None:
        """Keep sending new events; retry each until it gets its 200 (as the sender may)."""
        number = sender * 100_000
        while not stop_sending.is_set():
            node = nodes[number % 2]
            answer = post(node.port, f"/callbacks/{node.token}", event_body(number), timeout=30)
            with lock:
                statuses[answer.status] += 1
            if answer.status == 200:
                acknowledged.append(f"Responder {number}")
                number += 1
            else:
                time.sleep(0.02)

    senders = [threading.Thread(target=send, args=(s,)) for s in range(SENDERS)]
    for sender in senders:
        sender.start()
    try:
        time.sleep(0.5)
        pg_cluster.stop(mode)  # connections cut under load
        try:
            time.sleep(1.0)
            down = [health(node) for node in nodes]
            during = Counter(statuses)
        finally:
            pg_cluster.start()
        deadline = time.monotonic() + 30
        before = len(acknowledged)
        while len(acknowledged) < before + 50 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop_sending.set()
        for sender in senders:
            sender.join(60)
    assert down == [503, 503]
    assert during[503] > 0  # callbacks refused while the database was down
    assert set(statuses) == {200, 503}  # nothing else, ever
    assert len(acknowledged) >= before + 50  # recovered
    assert [health(node) for node in nodes] == [200, 200]
    stored = Counter(e.sendname for e in nodes[1].store.events_after(0, limit=1_000_000))
    assert set(stored.values()) == {1}  # none twice
    assert set(acknowledged) <= set(stored)  # none acknowledged lost
    # At most each sender's last event, committed as its connection was cut, then not resent.
    assert len(set(stored) - set(acknowledged)) <= SENDERS
