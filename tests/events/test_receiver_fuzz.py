"""Fuzzing the receiver's intake over real loopback HTTP: whatever a callback body holds
(arbitrary bytes, any JSON shape, the reference's fields with any values), the answer is a 2xx
or a 4xx, never a 5xx (the store is healthy here), never a hang; a 200 "Stored." means one new
row; and the receiver still serves afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from event_http import event_body, post
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch_desktop.events import CallbackReceiver, EventStore

ANSWER_TIMEOUT = 10.0  # a hang shows as a timeout, far above any answer

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()  # NaN and infinities included: not JSON
    | st.text(max_size=30)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
ID_VALUES = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.from_regex(r"[0-9]{0,25}", fullmatch=True)
    | st.sampled_from(["", " 5", "+5", "5_0", "²", "0x10", "1e3"])
    | st.floats()
    | st.booleans()
    | st.none()
)
TIMESTAMPS = (
    st.integers(min_value=-(2**64), max_value=2**64)
    | st.integers(min_value=900_000_000_000, max_value=4_200_000_000_000)
    | st.from_regex(r"[0-9]{0,20}", fullmatch=True)
    | st.floats()
    | st.none()
)
WHOLE = st.integers(min_value=0, max_value=2**63 - 1)
PLAUSIBLE = st.fixed_dictionaries(  # what a Dispatch server sends, values varied within range
    {
        "eventtype": st.sampled_from(["JOB_START", "JOB_ASSIGN", "JOB_FINISH"])
        | st.text(min_size=1),
        "jobid": WHOLE.map(str) | WHOLE,
        "timestamp": st.integers(min_value=946_684_800_000, max_value=4_102_444_799_999),
    },
    optional={
        "userid": WHOLE,
        "sendtaskid": WHOLE.map(str) | st.just(""),
        "contactid": WHOLE.map(str) | st.just(""),
        "jobtype": st.text(),
        "sendname": st.text(),
        "agent": st.text(),
        "extra": JSON_VALUES,
    },
)
CALLBACKS = st.fixed_dictionaries(
    {"eventtype": st.sampled_from(["JOB_START", "JOB_ASSIGN", "JOB_FINISH"]) | JSON_VALUES},
    optional={
        "jobid": ID_VALUES,
        "userid": ID_VALUES,
        "sendtaskid": ID_VALUES,
        "contactid": ID_VALUES,
        "timestamp": TIMESTAMPS,
        "jobtype": JSON_VALUES,
        "sendname": JSON_VALUES,
        "agent": JSON_VALUES,
        "extra": JSON_VALUES,
    },
)


def _json_bytes(document: Any, ascii_only: bool) -> bytes:
    return json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _nested_event(depth: int) -> bytes:
    """An event with a value nested ``depth`` deep: around Python's recursion limit (1000),
    whether a JSON library copes depends on how deep the stack already is."""
    return b'{"eventtype": "JOB_NOTE", "x": ' + b"[" * depth + b"]" * depth + b"}"


BODIES = (
    st.binary(max_size=3000)
    | st.builds(_json_bytes, JSON_VALUES, st.booleans())
    | st.builds(_json_bytes, CALLBACKS, st.booleans())
    | st.builds(_json_bytes, PLAUSIBLE, st.booleans())
    | st.integers(min_value=0, max_value=3000).map(lambda depth: b"[" * depth + b"]" * depth)
    | st.integers(min_value=0, max_value=1200).map(_nested_event)
)


def test_any_body_gets_a_2xx_or_4xx_and_the_receiver_keeps_serving(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    stored_answers = 0
    with CallbackReceiver(store) as receiver:
        path = f"/callbacks/{receiver.token}"

        @settings(
            max_examples=300,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(body=BODIES)
        def answer_is_a_verdict(body: bytes) -> None:
            nonlocal stored_answers
            answer = post(receiver.port, path, body, timeout=ANSWER_TIMEOUT)
            assert 200 <= answer.status < 500, (body[:200], answer.status, answer.body)
            if answer.status == 200 and answer.body == b"Stored.\n":
                stored_answers += 1

        answer_is_a_verdict()
        assert store.latest_cursor() == stored_answers
        assert post(receiver.port, path, event_body(10**6)).status == 200
