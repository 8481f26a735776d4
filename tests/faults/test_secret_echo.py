"""Echoing servers and gateways: whatever quotes the credentials back (an error text, an HTML
error page, a gateway page, a 200's errormessage), in whatever form (plain, URL-encoded,
JSON-escaped, Base64, HTML-escaped), no secret reaches the outcome shown, the journal file,
the CSV export, the log or a crash report.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
from pathlib import Path

import pytest
from fault_server import ECHO_FORMS, FaultServer, echo

from dispatch_desktop.api import AuthMethod, Credentials, DispatchClient, SavedJob
from dispatch_desktop.api import StartJobRequest as Request
from dispatch_desktop.api.redaction import redact
from dispatch_desktop.launcher import LaunchPlan, launch
from dispatch_desktop.storage.journal import LaunchJournal, Outcome

USER = "dispatcher"
PASSWORD = "Sw0rd/fish+ö&q=1 ok"
API_KEY = "AK_9f8e7d6c5b4a3/21+0=="
JOB = SavedJob(352872112744058883, "Drill", "MonitoredMessage")

ECHO_PATHS = {
    "400-text": (echo, 400, {}),
    "503-html": (echo, 503, {"as_html": True}),
    "502-gateway-page": (echo, 502, {"as_html": True}),
    "200-errormessage": (echo, 200, {"as_json": True}),
    "200-unreadable": (echo, 200, {}),
}
EXPECTED_OUTCOMES = {
    "400-text": Outcome.REJECTED,
    "503-html": Outcome.REJECTED,
    "502-gateway-page": Outcome.UNKNOWN,
    "200-errormessage": Outcome.NOT_STARTED,
    "200-unreadable": Outcome.UNKNOWN,
}


def forms_of(secret: str) -> list[str]:
    """Every form the test servers echo, and the Basic header's Base64."""
    forms = [make(secret) for make in ECHO_FORMS.values()]
    forms.append(base64.b64encode(f"{USER}:{secret}".encode()).decode())
    return forms


def assert_nowhere(secret: str, *places: tuple[str, bytes | str]) -> None:
    for where, content in places:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        for form in forms_of(secret):
            assert form not in text, f"{form!r} leaked into {where}"


def journal_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("http_method", ["POST", "GET"])
@pytest.mark.parametrize("auth", list(AuthMethod))
def test_no_echoed_secret_reaches_the_user_the_journal_the_export_or_the_log(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    auth: AuthMethod,
    http_method: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = API_KEY if auth.uses_api_key else PASSWORD
    credentials = Credentials(api_key=secret) if auth.uses_api_key else Credentials(USER, secret)
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    shown = []
    cases = 0
    with FaultServer(echo(200, "plain")) as server:
        client = DispatchClient(
            f"{server.url}/api", credentials, auth=auth, http_method=http_method
        )
        plan = LaunchPlan(JOB, Request(jobid=JOB.id), None, server.url, USER)
        for name, (make, status, options) in ECHO_PATHS.items():
            for form in ECHO_FORMS:
                server.fault = make(status, form, **options)
                outcome = launch(client, plan, journal)
                assert outcome.kind is EXPECTED_OUTCOMES[name], (name, form, outcome)
                # the server really did echo the secret: the test is not vacuous
                echoed = server.answers[-1].decode()
                if options.get("as_json"):
                    echoed = json.loads(echoed)["errormessage"]
                assert ECHO_FORMS[form](secret) in echoed
                shown.append(outcome.message)
                cases += 1
        assert len(server.requests) == cases
    export = tmp_path / "export.csv"
    journal.export_csv(export)

    assert cases == len(ECHO_PATHS) * len(ECHO_FORMS)
    assert_nowhere(
        secret,
        ("the outcome shown", "\n".join(shown)),
        ("the journal file", journal_bytes(journal.path)),
        ("the CSV export", export.read_bytes()),
        ("the log", caplog.text),
    )


def test_the_crash_report_masks_bodies_headers_and_known_secrets() -> None:
    DispatchClient("http://127.0.0.1:9/api", Credentials(USER, PASSWORD))  # registers it
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    text = "\n".join(
        [
            f'body = {{"username": "{USER}", "password": "{PASSWORD}"}}',
            "{'apikey': 'AK_0123456789', 'x': 1}",
            f"headers = {{'Authorization': 'Basic {basic}', 'X-API-Key': 'AK_0123456789'}}",
            "X-Lekab-Password: c2VjcmV0",
            "X-Lekab-Userid: ZGlzcGF0Y2hlcg==",
            "GET /dispatch/api/listsavedjobs?U=dispatcher&P=hunter2&key=AK_0123456789",
            f"ValueError: the server said: {PASSWORD}",
        ]
    )

    masked = redact(text)

    for leaked in (PASSWORD, basic, "AK_0123456789", "c2VjcmV0", "hunter2", "ZGlzcGF0Y2hlcg=="):
        assert leaked not in masked
    assert "ValueError: the server said:" in masked  # the rest of the report stays readable


def test_the_crash_handler_report_is_masked() -> None:
    from dispatch_desktop.ui.crash import crash_report

    DispatchClient(
        "http://127.0.0.1:9/api", Credentials(api_key=API_KEY), auth=AuthMethod.API_KEY_HEADER
    )
    try:
        raise RuntimeError(f"gateway page: {base64.b64encode(API_KEY.encode()).decode()}")
    except RuntimeError:
        report = crash_report(*sys.exc_info())  # type: ignore[arg-type]

    assert_nowhere(API_KEY, ("the crash report", report))


def test_the_log_file_masks_what_reaches_it(tmp_path: Path) -> None:
    from dispatch_desktop.ui.crash import configure_logging

    DispatchClient("http://127.0.0.1:9/api", Credentials(USER, PASSWORD))
    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging(tmp_path / "logs")
    try:
        log = logging.getLogger("dispatch_desktop.test")
        log.warning("the server said %s", ValueError(PASSWORD))  # a non-text argument
        try:
            raise RuntimeError(f"Authorization: Basic {base64.b64encode(PASSWORD.encode())}")
        except RuntimeError:
            log.exception("with a traceback")
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()

    assert_nowhere(PASSWORD, ("the log file", path.read_text("utf-8")))
    assert "the server said ***" in path.read_text("utf-8")


def test_a_password_equal_to_the_username_is_not_masked_everywhere() -> None:
    DispatchClient("http://127.0.0.1:9/api", Credentials("drillmaster", "drillmaster"))

    assert redact("Drill by drillmaster") == "Drill by drillmaster"
