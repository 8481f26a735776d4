"""One bad request never affects another: poison bodies among hundreds of good ones at once,
and an event that fails inside a group commit."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from crowd import callback_request, exchange_all
from event_http import REFERENCE_SENDTASK_ID, event_body
from faults import descriptors_for

from dispatch_desktop.events import CallbackReceiver, EventStore, EventStoreError, parse_callback

GOOD = 800
POISON = [
    # Passes json.loads from a shallow stack; used to fail later, in the store, and take
    # its whole write group down with it.
    b'{"eventtype": "JOB_ASSIGN", "x": ' + b"[" * 980 + b"]" * 980 + b"}",
    b'{"eventtype": "JOB_ASSIGN", "x": 1e999}',
    b'{"eventtype": "JOB_ASSIGN", "x": ' + b"7" * 5000 + b"}",
    b'{"eventtype": "JOB_ASSIGN", "jobid": 99999999999999999999999999}',
    b'{"eventtype": "JOB_ASSIGN", "timestamp": 253402300800000}',  # year 10000
    b'{"eventtype": "JOB_\xff\xfe"}',  # not UTF-8
    b'{"eventtype": "JOB_ASSIGN", "sendname": "\\udc80"}',
    b"\x00" * 1000,
]


def stored_numbers(store: EventStore) -> list[int]:
    events = store.events_after(0, limit=10_000)
    return [e.sendtaskid - REFERENCE_SENDTASK_ID for e in events if e.sendtaskid is not None]


def test_poison_bodies_among_800_good_ones_fail_alone(tmp_path: Path) -> None:
    descriptors_for(4 * (GOOD + len(POISON)) + 256)  # both ends of each, and the rest
    store = EventStore(tmp_path / "events.sqlite3")
    with CallbackReceiver(store) as receiver:
        path = f"/callbacks/{receiver.token}"
        good = [callback_request(path, event_body(number)) for number in range(GOOD)]
        bad = [callback_request(path, body) for body in POISON]
        # The poison spread through the crowd, so that it lands in write groups.
        requests = good[:]
        for index, request in enumerate(bad):
            requests.insert((index + 1) * GOOD // (len(bad) + 1), request)
        outcomes = exchange_all(receiver.port, requests, timeout=60)
        statuses = [outcome.status for outcome in outcomes]
        assert [statuses[requests.index(request)] for request in bad] == [400] * len(bad)
        assert [statuses[requests.index(request)] for request in good] == [200] * GOOD
        assert sorted(stored_numbers(store)) == list(range(GOOD))
        # And the receiver still serves.
        (after,) = exchange_all(receiver.port, [callback_request(path, event_body(GOOD))], 10)
        assert after.status == 200


def test_an_event_that_fails_in_a_write_group_fails_alone(
    store: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    # An event the intake should have refused (here: a jobid that is no integer, which the
    # store's CHECK refuses), written in one group with good ones: a bug must cost that
    # event alone.
    broken = replace(parse_callback(event_body(99)), jobid="not a number")  # type: ignore[arg-type]
    events = [parse_callback(event_body(number)) for number in range(5)]
    events.insert(2, broken)
    outcomes: dict[int, object] = {}

    def add(index: int) -> None:
        try:
            outcomes[index] = store.add(events[index])
        except EventStoreError as exc:
            outcomes[index] = exc

    # Hold the writer, queue every event, then let one writer take them all as one group.
    with store._write_lock:
        threads = [threading.Thread(target=add, args=(i,)) for i in range(len(events))]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(store._queue) < len(events) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(store._queue) == len(events)
    for thread in threads:
        thread.join(10)
    assert isinstance(outcomes.pop(2), EventStoreError)
    assert sorted(outcomes.values()) == [(n, True) for n in range(1, 6)]  # type: ignore[type-var]
    assert sorted(stored_numbers(store)) == list(range(5))
    assert "could not store one event of a group" in caplog.text
    # The writer is fine afterwards.
    assert store.add(parse_callback(event_body(6))) == (6, True)
