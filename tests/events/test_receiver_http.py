"""The callback endpoint over real loopback sockets: what it stores, what it refuses and how,
and that no client, however broken, stops it."""

from __future__ import annotations

import logging
import re
import socket
import threading
import time

import pytest
from event_http import (
    JOB_ASSIGN,
    JOB_FINISH,
    JOB_START,
    REFERENCE_CONTACT_ID,
    REFERENCE_JOB_ID,
    REFERENCE_SENDTASK_ID,
    event_body,
    post,
    request,
)

from dispatch_desktop.events import CallbackReceiver, EventStore, EventStoreError, StoredEvent
from dispatch_desktop.events.receiver import MAX_BODY_BYTES, check_token, mask_token

RECEIVER_LOGGER = "dispatch_desktop.events.receiver"


def rejections(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == RECEIVER_LOGGER and r.levelno >= logging.WARNING
    ]


def status_of(answer: bytes) -> int | None:
    """The status of a raw HTTP answer (its version follows the request's); None if none."""
    match = re.match(rb"HTTP/1\.[01] ([0-9]{3}) ", answer)
    return int(match[1]) if match else None


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send ``data`` as is, then read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(data)
        client.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


# -- accepted bodies ---------------------------------------------------------------------------


def test_reference_bodies_are_stored_with_exact_ids(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    for body in (JOB_START, JOB_ASSIGN, JOB_FINISH):
        answer = post(receiver.port, callback_path, body)
        assert answer.status == 200, answer.body
    start, assign, finish = store.events_for_job(REFERENCE_JOB_ID)
    assert (start.eventtype, start.jobtype, start.agent) == (
        "JOB_START",
        "GroundHandling",
        "md-adm",
    )
    assert (start.userid, start.timestamp_ms, start.sendtaskid) == (113495, 1644928276273, None)
    assert (assign.sendtaskid, assign.contactid) == (REFERENCE_SENDTASK_ID, REFERENCE_CONTACT_ID)
    assert assign.sendname == "Tomas Hansson - Lekab"
    assert (finish.eventtype, finish.timestamp_ms) == ("JOB_FINISH", 1644928299193)
    assert [e.raw.encode() for e in (start, assign, finish)] == [JOB_START, JOB_ASSIGN, JOB_FINISH]


def test_ids_as_json_numbers_are_stored_exactly(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    body = (
        b'{"jobid": 777903613308588032, "userid": 113495, "eventtype": "JOB_ASSIGN",'
        b' "timestamp": 1644928296110, "jobtype": "", "sendtaskid": 777903613518303232,'
        b' "sendname": "Tomas Hansson - Lekab", "contactid": 519898635249405952,'
        b' "agent": "SYSTEM"}'
    )
    assert post(receiver.port, callback_path, body).status == 200
    (event,) = store.events_after(0)
    assert (event.jobid, event.sendtaskid, event.contactid) == (
        REFERENCE_JOB_ID,
        REFERENCE_SENDTASK_ID,
        REFERENCE_CONTACT_ID,
    )


def test_an_unknown_eventtype_is_kept_as_such(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    assert post(receiver.port, callback_path, event_body(1, "JOB_PAUSED")).status == 200
    (event,) = store.events_after(0)
    assert event.eventtype == "JOB_PAUSED"


def test_a_duplicate_post_is_answered_200_and_stored_once(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    first = post(receiver.port, callback_path, JOB_START)
    again = post(receiver.port, callback_path, JOB_START)
    assert (first.status, again.status) == (200, 200)
    assert len(store.events_after(0)) == 1


def test_listeners_are_called_once_per_new_event(
    receiver: CallbackReceiver, callback_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[StoredEvent] = []
    called = threading.Condition()

    def failing(event: StoredEvent) -> None:
        raise RuntimeError("a broken listener")

    def listener(event: StoredEvent) -> None:
        with called:
            seen.append(event)
            called.notify_all()

    receiver.add_listener(failing)  # logged, and the others are still called
    receiver.add_listener(listener)
    for body in (JOB_START, JOB_START, JOB_ASSIGN):
        assert post(receiver.port, callback_path, body).status == 200
    # Listeners run after the 200 has gone out, so they may still be running now.
    with called:
        assert called.wait_for(lambda: len(seen) == 2, timeout=5)
    assert [(e.cursor, e.eventtype) for e in seen] == [(1, "JOB_START"), (2, "JOB_ASSIGN")]
    assert "a broken listener" in caplog.text
    receiver.remove_listener(listener)
    receiver.remove_listener(listener)  # no error when not added
    assert post(receiver.port, callback_path, JOB_FINISH).status == 200
    time.sleep(0.2)
    assert len(seen) == 2


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/callbacks/wrong-token-wrong-token-wrong-token",
        "/callbacks/",
        "/callbacks",
        "/",
        "/events/",
    ],
)
def test_any_other_path_is_404_and_nothing_is_stored(
    receiver: CallbackReceiver, store: EventStore, path: str
) -> None:
    assert post(receiver.port, path, JOB_START).status == 404
    assert store.latest_cursor() == 0


def test_a_near_miss_of_the_token_is_404(receiver: CallbackReceiver, callback_path: str) -> None:
    assert post(receiver.port, callback_path + "x", JOB_START).status == 404
    assert post(receiver.port, callback_path[:-1], JOB_START).status == 404
    assert post(receiver.port, callback_path + "/", JOB_START).status == 404


def test_events_are_404_unless_served(store: EventStore) -> None:
    with CallbackReceiver(store) as embedded:
        assert embedded.events_url is None
        assert request(embedded.port, "GET", "/events").status == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "OPTIONS", "HEAD"])
def test_other_methods_are_405_with_allow(
    receiver: CallbackReceiver, callback_path: str, method: str
) -> None:
    answer = request(receiver.port, method, callback_path)
    assert answer.status == 405
    assert answer.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2, 3]", b'{"eventtype": "JOB_START", "jobid": 1.5e17}', b"\xff"],
)
def test_a_body_that_is_not_an_event_is_400(
    receiver: CallbackReceiver, store: EventStore, callback_path: str, body: bytes
) -> None:
    answer = post(receiver.port, callback_path, body)
    assert answer.status == 400
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert store.latest_cursor() == 0


def test_a_body_over_64_kib_is_413(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    padding = "x" * (65 * 1024)
    answer = post(receiver.port, callback_path, event_body(1, sendname=padding))
    assert answer.status == 413
    assert store.latest_cursor() == 0
    # The limit itself is accepted.
    body = event_body(2, sendname="")
    body = event_body(2, sendname="y" * (MAX_BODY_BYTES - len(body)))
    assert len(body) == MAX_BODY_BYTES
    assert post(receiver.port, callback_path, body).status == 200


def test_the_length_is_checked_before_the_body_is_read(
    receiver: CallbackReceiver, callback_path: str
) -> None:
    # Announces 10 MB and sends none of it: answered at once, not after a timeout.
    head = f"POST {callback_path} HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
    started = time.monotonic()
    answer = raw_exchange(receiver.port, head.encode())
    assert status_of(answer) == 413
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ("Transfer-Encoding: chunked\r\n", 411),
        ("", 411),
        ("Content-Length: -5\r\n", 400),
        ("Content-Length: 12abc\r\n", 400),
        ("Content-Length: 5\r\nContent-Length: 6\r\n", 400),
        ("Content-Length: 99999999999999999999999999\r\n", 413),
    ],
)
def test_bodies_without_a_usable_length_are_refused(
    receiver: CallbackReceiver, callback_path: str, headers: str, status: int
) -> None:
    data = f"POST {callback_path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode()
    data += b"5\r\nhello\r\n0\r\n\r\n" if "chunked" in headers else b""
    assert status_of(raw_exchange(receiver.port, data)) == status


def test_each_rejection_is_logged_once_with_its_reason_and_never_the_token(
    receiver: CallbackReceiver, callback_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, RECEIVER_LOGGER)
    post(receiver.port, callback_path, b"[1]")
    post(receiver.port, callback_path + "x", JOB_START)
    request(receiver.port, "GET", callback_path)
    post(receiver.port, callback_path, JOB_START)
    logged = rejections(caplog)
    assert len(logged) == 3, logged
    assert "400 The body is not a JSON object." in logged[0]
    assert "404" in logged[1]
    assert "405" in logged[2]
    assert receiver.token not in caplog.text
    assert "/callbacks/***" in caplog.text


def test_mask_token_and_check_token(store: EventStore) -> None:
    assert mask_token("POST /callbacks/abc?x=1 HTTP/1.1") == "POST /callbacks/***?x=1 HTTP/1.1"
    with pytest.raises(ValueError, match="16 to 256"):
        check_token("short")
    with pytest.raises(ValueError, match="16 to 256"):
        check_token("with/slash-0123456789")
    with pytest.raises(ValueError, match="callback token"):
        CallbackReceiver(store, token="bad token")


# -- robustness --------------------------------------------------------------------------------


def test_a_half_open_client_does_not_block_others(
    receiver: CallbackReceiver, callback_path: str
) -> None:
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as stalled:
        stalled.sendall(f"POST {callback_path} HTTP/1.1\r\nHost: x\r\nContent-Le".encode())
        with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as stalled_body:
            head = f"POST {callback_path} HTTP/1.1\r\nContent-Length: 200\r\n\r\n{{"
            stalled_body.sendall(head.encode())
            time.sleep(0.1)  # both are now inside the server, waiting for more
            started = time.monotonic()
            answer = post(receiver.port, callback_path, JOB_START, timeout=2)
            assert answer.status == 200
            assert time.monotonic() - started < 1


def test_many_concurrent_callbacks_are_all_stored(
    receiver: CallbackReceiver, store: EventStore, callback_path: str
) -> None:
    statuses: list[int] = []

    def send(number: int) -> None:
        statuses.append(post(receiver.port, callback_path, event_body(number)).status)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    assert store.latest_cursor() == 20


MALFORMED_REQUESTS = [
    b"",
    b"\r\n\r\n",
    b"\x00\xff\xfe garbage \x80\r\n\r\n",
    b"GET\r\n\r\n",
    b"POST /callbacks/x HTTP/9.9\r\n\r\n",
    b"POST /callbacks/x HTTP/1.1 extra words\r\n\r\n",
    b"BREW /pot HTTP/1.1\r\n\r\n",
    b"POST / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    b"POST / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(200)) + b"\r\n",
    b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
    b'POST /callbacks/TOKEN HTTP/1.1\r\nContent-Length: 50\r\n\r\n{"eventtype"',
    b"POST /callbacks/TOKEN HTTP/1.1\r\nContent-Length: 4\r\n\r\nnull",
    b"POST /callbacks/TOKEN HTTP/1.1\r\nContent-Length: 1\r\n\r\n\x00",
    b"POST /callbacks/TOKEN HTTP/1.1\r\nContent-Length: 37\r\n\r\n"
    b'{"eventtype": "\\udc80", "jobid": "1"}',
    b"GET /events?after=-1 HTTP/1.1\r\nAuthorization: Bearer \xff\r\n\r\n",
    b"GET /events?after=x&wait=nan HTTP/1.1\r\nAuthorization: Bearer EVENTS\r\n\r\n",
    b"GET /events?wait=inf HTTP/1.1\r\nAuthorization: Bearer EVENTS\r\n\r\n",
    b"GET /events?limit=0 HTTP/1.1\r\nAuthorization: Bearer EVENTS\r\n\r\n",
]


def test_the_receiver_survives_malformed_requests(
    receiver: CallbackReceiver,
    store: EventStore,
    callback_path: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for data in MALFORMED_REQUESTS:
        data = data.replace(b"TOKEN", receiver.token.encode())
        data = data.replace(b"EVENTS", str(receiver.events_token).encode())
        answer = raw_exchange(receiver.port, data)
        status = status_of(answer)
        assert status is None or not 200 <= status < 300, (data[:80], answer[:200])
    # A client that connects and goes away at once, or resets the connection.
    for _ in range(3):
        socket.create_connection(("127.0.0.1", receiver.port), timeout=5).close()
    assert store.latest_cursor() == 0
    assert post(receiver.port, callback_path, JOB_START).status == 200
    assert store.latest_cursor() == 1
    # Every refusal was foreseen: no traceback of an unexpected failure.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_event_that_cannot_be_stored_is_not_acknowledged(
    receiver: CallbackReceiver,
    callback_path: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full_disk(event: object) -> tuple[object, bool]:
        raise EventStoreError("The event store (x) could not store the event: disk I/O error.")

    monkeypatch.setattr(receiver.store, "add_event", full_disk)
    answer = post(receiver.port, callback_path, JOB_START)
    assert answer.status == 503
    assert b"disk" not in answer.body  # the detail is for the log only
    assert "503 The event could not be stored. (The event store (x)" in caplog.text


def test_a_bug_is_a_500_and_leaves_no_token_in_any_log(
    receiver: CallbackReceiver,
    callback_path: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    def broken(event: object) -> tuple[object, bool]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(receiver.store, "add_event", broken)
    answer = post(receiver.port, callback_path, JOB_START)
    assert answer.status == 500
    assert b"bug" not in answer.body
    assert "a bug" in caplog.text  # with its traceback, for the developers
    assert receiver.token not in caplog.text
    monkeypatch.undo()
    assert post(receiver.port, callback_path, JOB_START).status == 200


def test_the_servers_own_log_lines_mask_the_token(
    receiver: CallbackReceiver, callback_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Should the application itself fail, the server logs the path it was serving.
    def failing(environ: object, start_response: object) -> list[bytes]:
        raise RuntimeError("the application failed")

    assert receiver._httpd is not None
    receiver._httpd.application = failing
    assert post(receiver.port, callback_path, JOB_START).status == 500
    assert "Exception while serving /callbacks/***" in caplog.text
    assert receiver.token not in caplog.text
