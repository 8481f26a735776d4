"""Simulated job event callbacks (reference 3.1.x, F2).

After a start, a background thread plays the job's life: JOB_START, one JOB_ASSIGN per
simulated responder, JOB_FINISH. Each body is POSTed to the callback URL current at that
moment (the URL belongs to the system user, not to the job: 3, F12). Delivery failures are
logged and never stop the simulation.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from dispatch_desktop.api.proxy import UnsupportedProxy, choose_proxy
from dispatch_desktop.demo.data import SYSTEM_USER_ID
from dispatch_desktop.demo.ids import IdGenerator
from dispatch_desktop.demo.records import StartedJob
from dispatch_desktop.demo.rules import Recipient

logger = logging.getLogger(__name__)

# Pacing at speed 1, in seconds; every delay is divided by the current speed.
START_AFTER_ANSWER = 1.0
ASSIGN_INTERVAL = (2.0, 6.0)
FINISH_AFTER_LAST = 2.0
SEND_TIMEOUT = 5.0
MAX_ANSWER_BYTES = 64 * 1024
"""A receiver answers a callback with a few bytes; more is read no further."""


def job_event(
    job: StartedJob,
    eventtype: str,
    responder: Recipient | None = None,
    sendtaskid: int | None = None,
) -> dict[str, Any]:
    """A callback body exactly as in 3.1.1-3.1.3: ids of jobs, tasks, contacts as strings."""
    assign = responder is not None
    return {
        "jobid": str(job.runtimeid),
        "userid": SYSTEM_USER_ID,
        "eventtype": eventtype,
        "timestamp": time.time_ns() // 1_000_000,
        "jobtype": job.saved_job_type if eventtype == "JOB_START" else "",
        "sendtaskid": str(sendtaskid) if assign else "",
        # A bare number (not a contact) has no name and no contact id.
        "sendname": (responder.name or responder.phone) if responder else "",
        "contactid": str(responder.contact_id) if responder and responder.contact_id else "",
        "agent": job.username if eventtype == "JOB_START" else "SYSTEM",
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A callback URL holds a receiver's token: it goes to that address and nowhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that follows the project's proxy rules (dispatch_desktop.api.proxy): never a
    proxy for loopback or plain http, the system's for https."""
    proxy = choose_proxy(url)
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"https": proxy} if proxy else {}), _NoRedirect()
    )


def post_event(url: str, event: dict[str, Any]) -> None:
    """POST one callback body; failures are logged, never raised."""
    # The URL's scheme was checked to be http(s) when it was set (DemoServer.callback_url).
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(event).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    where = urlsplit(url).netloc  # not the whole URL: it holds a receiver's token
    try:
        with _opener(url).open(request, timeout=SEND_TIMEOUT) as response:
            response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        exc.close()
        logger.warning("Callback %s to %s answered HTTP %s", event["eventtype"], where, exc.code)
    except (OSError, http.client.HTTPException, UnsupportedProxy) as exc:
        logger.warning("Callback %s to %s failed: %s", event["eventtype"], where, exc)


class CallbackSimulator:
    """Runs one daemon thread per started job until the job finishes or ``stopping`` is set."""

    def __init__(
        self,
        callback_url: Callable[[], str | None],
        speed: Callable[[], float],
        ids: IdGenerator,
        stopping: threading.Event,
    ) -> None:
        self._callback_url = callback_url
        self._speed = speed
        self._ids = ids
        self._stopping = stopping
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def launch(self, job: StartedJob) -> None:
        """Start playing ``job``'s events in the background."""
        thread = threading.Thread(
            target=self._run, args=(job,), name=f"demo-callbacks-{job.runtimeid}", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def join(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds in all) for the threads; call after ``stopping``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _pause(self, seconds: float) -> bool:
        """Sleep scaled by the speed; False if the server is stopping."""
        return not self._stopping.wait(seconds / self._speed())

    def _wait_for_start(self, job: StartedJob) -> bool:
        if job.scheduledstart is None:
            return self._pause(START_AFTER_ANSWER)
        # A scheduled job starts at its real time: speed only paces the simulated responders.
        remaining = (job.scheduledstart - datetime.now(UTC)).total_seconds()
        return not self._stopping.wait(max(0.0, remaining))

    def _emit(self, job: StartedJob, event: dict[str, Any]) -> None:
        job.events.append(event)
        url = self._callback_url()
        if url:
            post_event(url, event)

    def _run(self, job: StartedJob) -> None:
        rng = random.Random(job.runtimeid)  # deterministic pacing per job
        if not self._wait_for_start(job):
            return
        self._emit(job, job_event(job, "JOB_START"))
        for responder in job.responders:
            if not self._pause(rng.uniform(*ASSIGN_INTERVAL)):
                return
            self._emit(job, job_event(job, "JOB_ASSIGN", responder, self._ids.next_id()))
        if self._pause(FINISH_AFTER_LAST):
            self._emit(job, job_event(job, "JOB_FINISH"))
