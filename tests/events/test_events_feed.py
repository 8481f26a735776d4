"""GET /events, the long poll that desktops follow a shared receiver with (F12), and its
client, EventFollower."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from event_http import JOB_ASSIGN, JOB_START, REFERENCE_SENDTASK_ID, event_body, post, request

from dispatch_desktop.events import (
    CallbackReceiver,
    EventFollower,
    EventStore,
    FollowerAuthError,
    FollowerError,
    StoredEvent,
)


@pytest.fixture
def follower(receiver: CallbackReceiver) -> Iterator[EventFollower]:
    with EventFollower(receiver.base_url, str(receiver.events_token)) as following:
        yield following


def bearer(receiver: CallbackReceiver) -> dict[str, str]:
    return {"Authorization": f"Bearer {receiver.events_token}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-wrong-wrong-wrong"},
        {"Authorization": "Basic dGVzdHVzZXI6dGVzdHBhc3M="},
        {"Authorization": "Bearer"},
    ],
)
def test_events_need_the_bearer_token(receiver: CallbackReceiver, headers: dict[str, str]) -> None:
    answer = request(receiver.port, "GET", "/events?after=0", headers=headers)
    assert answer.status == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_events_are_get_only(receiver: CallbackReceiver) -> None:
    answer = request(receiver.port, "POST", "/events", b"{}", headers=bearer(receiver))
    assert (answer.status, answer.headers["allow"]) == (405, "GET")


def test_served_ids_are_strings_and_the_cursor_advances(
    receiver: CallbackReceiver, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_START)
    post(receiver.port, callback_path, JOB_ASSIGN)
    answer = request(receiver.port, "GET", "/events?after=0", headers=bearer(receiver))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    document = answer.json()
    assert document["cursor"] == 2
    start, assign = document["events"]
    assert start["jobid"] == "777903613308588032"
    assert assign["sendtaskid"] == "777903613518303232"
    assert assign["contactid"] == "519898635249405952"
    assert start["sendtaskid"] is None
    assert assign["raw"] == JOB_ASSIGN.decode()
    # Even a double-based JSON reader keeps the ids (F1).
    doubles = json.loads(answer.body, parse_int=float)
    assert doubles["events"][0]["jobid"] == "777903613308588032"


def test_poll_parses_ids_back_to_exact_ints(
    receiver: CallbackReceiver, follower: EventFollower, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_ASSIGN)
    events, cursor = follower.poll(0, wait=0)
    assert cursor == 1
    (event,) = events
    assert event.sendtaskid == REFERENCE_SENDTASK_ID
    assert event == receiver.store.event(1)


def test_poll_pages_with_limit(
    receiver: CallbackReceiver, follower: EventFollower, callback_path: str
) -> None:
    for number in range(5):
        post(receiver.port, callback_path, event_body(number))
    events, cursor = follower.poll(0, wait=0, limit=2)
    assert ([e.cursor for e in events], cursor) == ([1, 2], 2)
    events, cursor = follower.poll(cursor, wait=0, limit=500)
    assert ([e.cursor for e in events], cursor) == ([3, 4, 5], 5)


def test_an_empty_poll_waits_then_keeps_the_cursor(
    receiver: CallbackReceiver, follower: EventFollower, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_START)
    started = time.monotonic()
    assert follower.poll(1, wait=0.3) == ([], 1)
    assert 0.25 < time.monotonic() - started < 2


def test_a_poll_with_events_waiting_returns_at_once(
    receiver: CallbackReceiver, follower: EventFollower, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_START)
    started = time.monotonic()
    events, _ = follower.poll(0, wait=999)  # clamped to 30 s, and not needed at all
    assert len(events) == 1
    assert time.monotonic() - started < 1


def test_a_cursor_beyond_the_store_comes_back_as_its_latest(
    receiver: CallbackReceiver, follower: EventFollower, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_START)
    started = time.monotonic()
    assert follower.poll(40, wait=10) == ([], 1)
    assert time.monotonic() - started < 1


def test_two_followers_both_get_an_event_posted_while_they_wait(
    receiver: CallbackReceiver, callback_path: str
) -> None:
    post(receiver.port, callback_path, JOB_START)
    received: dict[int, tuple[list[StoredEvent], int, float]] = {}

    def follow(number: int) -> None:
        with EventFollower(receiver.events_url or "", str(receiver.events_token)) as own:
            events, cursor = own.poll(1, wait=10)
            received[number] = (events, cursor, time.monotonic())

    threads = [threading.Thread(target=follow, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # both are waiting now
    posted = time.monotonic()
    assert post(receiver.port, callback_path, JOB_ASSIGN).status == 200
    for thread in threads:
        thread.join(timeout=5)
    assert sorted(received) == [1, 2]
    for events, cursor, arrived in received.values():
        assert [e.eventtype for e in events] == ["JOB_ASSIGN"]
        assert cursor == 2
        assert arrived - posted < 1


def test_stop_ends_a_waiting_poll(store: EventStore) -> None:
    receiver = CallbackReceiver(store, serve_events=True).start()
    outcome: list[object] = []

    def follow() -> None:
        with EventFollower(receiver.base_url, str(receiver.events_token)) as own:
            try:
                outcome.append(own.poll(0, wait=20))
            except FollowerError as exc:
                outcome.append(exc)

    thread = threading.Thread(target=follow)
    thread.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        receiver.stop()
        thread.join(timeout=5)
    finally:
        receiver.stop()
    assert not thread.is_alive()
    assert time.monotonic() - started < 2
    assert len(outcome) == 1


@pytest.mark.parametrize(
    "query",
    [
        "after=x",
        "after=-1",
        "after=+5",
        "after=99999999999999999999999",
        "wait=nan",
        "wait=inf",
        "wait=-1",
        "wait=",
        "limit=0",
        "limit=1.5",
        "limit=1_0",
    ],
)
def test_malformed_poll_parameters_are_400(receiver: CallbackReceiver, query: str) -> None:
    answer = request(receiver.port, "GET", f"/events?{query}", headers=bearer(receiver))
    assert answer.status == 400


def test_a_wrong_token_raises_follower_auth_error(receiver: CallbackReceiver) -> None:
    with (
        EventFollower(f"{receiver.base_url}/", "not-the-events-token") as wrong,
        pytest.raises(FollowerAuthError, match="refused the events token"),
    ):
        wrong.poll(0, wait=0)


def test_an_unreachable_receiver_raises_follower_error() -> None:
    with (
        EventFollower(f"http://127.0.0.1:{free_port()}", "token", connect_timeout=1) as lost,
        pytest.raises(FollowerError, match="did not answer"),
    ):
        lost.poll(0, wait=0)


def test_a_server_that_is_not_a_receiver_raises_follower_error(
    receiver: CallbackReceiver,
) -> None:
    # Something else answers at that URL (here: our own 404 for an unknown path).
    url = f"{receiver.base_url}/callbacks/x"
    with (
        EventFollower(url, "token") as confused,
        pytest.raises(FollowerError, match="HTTP 404"),
    ):
        confused.poll(0, wait=0)


def test_the_follower_never_shows_its_token(receiver: CallbackReceiver) -> None:
    follower = EventFollower(receiver.base_url, "secret-secret-secret-secret")
    try:
        assert "secret" not in repr(follower)
    finally:
        follower.close()
