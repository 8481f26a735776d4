"""The library's last English sentences, said in Swedish (issue 11 §1): pasted invisible
characters, answers the server's client cannot read, an unknown outcome's reason, the JSON tag
filter, the client's set-up refusals, the keyring and the job monitor's source. Each is
provoked with real parts (loopback HTTP servers, a bound port, keyring backends) and said as
the windows say it; the English sentence (``str``) stays word for word what scripts read.

Values inside a sentence are never translated: names, addresses, the server's words, the OS's
error text and the standard Unicode name of a character."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import keyring.errors
import pytest
from keyring.backends import fail, null
from keyring_memory import InMemoryKeyring
from test_swedish import english_in

from dispatch_desktop.api import (
    ConnectionFailed,
    Credentials,
    DispatchClient,
    MalformedAnswer,
    OutcomeUnknown,
    StartJobRequest,
    ValidationError,
)
from dispatch_desktop.api.tagfilter import TagFilter
from dispatch_desktop.api.validation import find_problems
from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.events.follower import EventFollower, FollowerAuthError, FollowerError
from dispatch_desktop.events.source import EventSource, SourceError
from dispatch_desktop.launcher import LaunchOutcome
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.storage.secrets import SecretKind, SecretStore, SecretStoreUnavailable
from dispatch_desktop.ui.common import error_sentence, library_text
from dispatch_desktop.ui.language import install_language
from dispatch_desktop.ui.launch_panel import outcome_detail
from dispatch_desktop.ui.settings_dialog import marker_problem

PASTE_ADVICE = "Ta bort det, eller skriv texten på nytt i stället för att klistra in den."


@pytest.fixture
def swedish(qapp) -> Iterator[None]:
    install_language(qapp, "sv")
    yield
    install_language(qapp, "en")


def swedish_only(sentence: str, *values: str) -> str:
    """``sentence`` after the check that no English word is in it but for ``values``."""
    shown = sentence
    for value in values:
        shown = shown.replace(value, " ")
    assert english_in(shown) == [], sentence
    return sentence


# -- a server on loopback that answers what a test says ---------------------------------------


@contextmanager
def answering(status: int, body: str, content_type: str = "application/json") -> Iterator[str]:
    """The address of a loopback HTTP server answering every request with ``status`` and
    ``body``; status 0 closes the connection without an answer."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            if status == 0:
                self.close_connection = True
                return
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer  # noqa: N815 - http.server's names

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def client_of(url: str, **options: object) -> DispatchClient:
    return DispatchClient(
        f"{url}/dispatch/api", Credentials(username="anna", password="hemligt"), **options
    )


# -- 1. pasted invisible and control characters ------------------------------------------------


def test_a_pasted_character_is_named_in_swedish_on_every_field(swedish) -> None:
    request = StartJobRequest(jobid=5, jobname="Öv\tning", tonumbers=["+46701\u200b234567"])
    _, problems = find_problems(request)
    assert [str(problem) for problem in problems] == [
        "Job name: the text contains TAB (U+0009), a control character, at position 3; it "
        "would reach the server as an invisible control code. Delete it, or type the text "
        "again instead of pasting it.",
        "Recipients (phone numbers): the number '+46701\\u200b234567' contains ZERO WIDTH "
        "SPACE (U+200B), an invisible formatting character, at position 7; the server would "
        "take it as part of the text although nobody can see it. Delete it, or type the text "
        "again instead of pasting it.",
    ]
    name, number = (error_sentence(problem) for problem in problems)
    assert swedish_only(name) == (
        "Jobbnamn: texten innehåller TABB (U+0009), ett kontrolltecken, på position 3; det "
        "skulle nå servern som en osynlig styrkod. " + PASTE_ADVICE
    )
    assert swedish_only(number, "ZERO WIDTH SPACE", "'+46701\\u200b234567'") == (
        "Mottagare (telefonnummer): numret '+46701\\u200b234567' innehåller ZERO WIDTH SPACE "
        "(U+200B), ett osynligt formateringstecken, på position 7; servern skulle ta det som "
        "en del av texten fast ingen kan se det. " + PASTE_ADVICE
    )


def test_a_look_alike_space_in_a_tag_filter_and_a_group_is_named_in_swedish(swedish) -> None:
    with pytest.raises(ValidationError) as in_filter:
        TagFilter.parse("Base:STO;On call:Y\u00a0es")
    part = "'On call:Y\\xa0es'"
    assert swedish_only(error_sentence(in_filter.value), "NO-BREAK SPACE (U+00A0)", part) == (
        "Taggfiltrets del 'On call:Y\\xa0es' innehåller NO-BREAK SPACE (U+00A0), ett "
        "mellanslag som inte är ett vanligt mellanslag, på position 19; tagg-, filter- och "
        "gruppnamn jämförs tecken för tecken, så namnet skulle inte matcha någon. "
        "Ta bort det, eller skriv texten på nytt i stället för att klistra in den."
    )
    _, [problem] = find_problems(StartJobRequest(jobid=5, toaddressbookgroups=["Jour\u2028"]))
    assert swedish_only(error_sentence(problem), "LINE SEPARATOR") == (
        "Mottagare (grupper): namnet 'Jour\\u2028' innehåller LINE SEPARATOR (U+2028), en "
        "radavgränsare, på position 5; vissa program visar den som en radbrytning och andra "
        "inte alls. Ta bort den, eller skriv texten på nytt i stället för att klistra in den."
    )


def test_the_exercise_marker_check_names_the_character_in_swedish(swedish) -> None:
    assert swedish_only(marker_problem("ÖVNING\x7f")) == (
        "Övningsmärkningen innehåller U+007F, ett kontrolltecken, på position 7; det skulle "
        "nå servern som en osynlig styrkod. " + PASTE_ADVICE
    )


# -- 2. answers that cannot be read, and an unknown outcome's reason ---------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<html><body>Logga in</body></html>",
            "Serverns svar är inte giltig JSON (syntaxfel vid tecken 0); kontrollera "
            "serveradressen (svaret började: 'Logga in').",
        ),
        ('{"jobs": []}', "Serverns svar innehåller ingen lista med sparade jobb."),
        (
            '{"savedJobs": [{"id": 7, "name": "Larm"}]}',
            "Sparat jobb nummer 1 i serverns lista saknar ett giltigt id (ett heltal), ett namn "
            "eller en typ.",
        ),
    ],
)
def test_an_answer_that_cannot_be_read_is_said_in_swedish(swedish, body, expected) -> None:
    with answering(200, body) as url, pytest.raises(MalformedAnswer) as malformed:
        client_of(url).list_saved_jobs()
    assert str(malformed.value).startswith(("The server's answer", "Saved job number 1"))
    assert swedish_only(error_sentence(malformed.value), "Logga in") == expected


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (504, "Tidsgräns", "en mellanliggande server svarade HTTP 504: Tidsgräns"),
        (200, "ok då", "servern svarade 200 men svaret gick inte att läsa: 'ok då'"),
        (0, "", "anslutningen bröts"),
    ],
)
def test_an_unknown_outcome_gives_its_reason_in_swedish(swedish, status, body, reason) -> None:
    with answering(status, body) as url, pytest.raises(OutcomeUnknown) as unknown:
        client_of(url).start_saved_job(StartJobRequest(jobid=5))
    outcome = LaunchOutcome(Outcome.UNKNOWN, str(unknown.value), error=unknown.value)
    assert swedish_only(outcome_detail(outcome), "Tidsgräns") == (
        "Utfallet är okänt: startbegäran kan ha nått servern, men inget fullständigt svar kom "
        f"tillbaka ({reason}). Jobbet kan ha startat; kontrollera Dispatch-översikten innan du "
        "försöker igen."
    )
    assert str(unknown.value).startswith("The outcome is unknown")


# -- 3. the JSON tag filter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[{",
            "JSON-taggfiltret är inte giltig JSON: ett namn inom dubbla citattecken saknas: "
            "rad 1, kolumn 3 (tecken 2)",
        ),
        (
            "[] x",
            "JSON-taggfiltret är inte giltig JSON: överflödiga tecken efter slutet: rad 1, "
            "kolumn 4 (tecken 3)",
        ),
        ("{}", "JSON-taggfiltret måste vara en lista med filterdelar."),
        (
            "[1]",
            'JSON-taggfiltrets del 1 ska se ut som {"tagtype": "Base", "tagvalues": ["STO"]}.',
        ),
    ],
)
def test_a_json_tag_filter_that_cannot_be_read_is_said_in_swedish(swedish, text, expected) -> None:
    _, [problem] = find_problems(StartJobRequest(jobid=5, toaddressbooktagfilterjson=text))
    sentence = error_sentence(problem)
    assert sentence.startswith("Mottagare (taggfilter i JSON-form): ")
    assert sentence.removeprefix("Mottagare (taggfilter i JSON-form): ").rstrip(".") == (
        expected.rstrip(".")
    )
    swedish_only(sentence, '{"tagtype": "Base", "tagvalues": ["STO"]}')
    assert str(problem).startswith("Recipients (tag filter in JSON form): ")
    assert "JSON tag filter" in str(problem)


# -- 4. the client's set-up, as the sign-in dialog shows it ------------------------------------


def test_the_clients_set_up_refusals_are_said_in_swedish(swedish, monkeypatch) -> None:
    import requests

    with pytest.raises(ValidationError) as method:
        client_of("http://127.0.0.1:9", http_method="PUT")
    assert swedish_only(error_sentence(method.value), "'PUT'") == (
        "HTTP-metoden 'PUT' stöds inte; använd POST eller GET."
    )
    session = requests.Session()
    session.verify = False
    with pytest.raises(ValidationError) as unchecked:
        client_of("http://127.0.0.1:9", session=session)
    assert swedish_only(error_sentence(unchecked.value)).startswith(
        "Sessionen stänger av kontrollen av TLS-certifikat"
    )
    # A SOCKS proxy cannot carry the TLS tunnel: refused before anything is sent.
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:9")
    client = DispatchClient("https://dispatch.example.com/api", Credentials("anna", "hemligt"))
    with pytest.raises(ConnectionFailed) as proxy:
        client.list_saved_jobs()
    assert swedish_only(error_sentence(proxy.value)) == (
        "Proxyn som är inställd för den här datorn (socks5://…) kan inte bära en säker "
        "anslutning; bara proxyservrar med http:// och https:// stöds."
    )
    with pytest.raises(ConnectionFailed) as start:
        client.start_saved_job(StartJobRequest(jobid=5))
    assert error_sentence(start.value).endswith("stöds. Inget skickades.")
    assert str(start.value).endswith("are supported. Nothing was sent.")


# -- 5. the keyring ----------------------------------------------------------------------------


class LockedKeyring(InMemoryKeyring):
    """A keyring whose unlock prompt was dismissed."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


def test_the_keyrings_status_and_problems_are_said_in_swedish(swedish) -> None:
    status = SecretStore(null.Keyring()).status()
    assert not status.usable
    assert swedish_only(library_text(status.message), "null keyring") == (
        "Nyckelringen som används (null keyring) kastar varje hemlighet; inloggningsuppgifterna "
        "sparas bara under den här sessionen och inte permanent."
    )
    with pytest.raises(SecretStoreUnavailable) as none:
        SecretStore(fail.Keyring()).save("https://d.example", "anna", SecretKind.PASSWORD, "x")
    assert swedish_only(error_sentence(none.value)) == (
        "Ingen nyckelring finns i systemet (nyckelringsbiblioteket hittade ingen "
        "lagringstjänst), så kunde lösenordet inte sparas; inloggningsuppgifterna sparas bara "
        "under den här sessionen."
    )
    locked = SecretStore(LockedKeyring())
    store = locked.backend_name()
    assert swedish_only(library_text(locked.status().message), store) == (
        f"Nyckelringen ({store}) är låst, så kan sparade inloggningsuppgifter inte användas; "
        "lås upp den och försök igen."
    )
    with pytest.raises(SecretStoreUnavailable) as save:
        locked.save("https://d.example", "Kiosk", SecretKind.API_KEY, "nyckel")
    assert swedish_only(error_sentence(save.value), store) == (
        f"Nyckelringen ({store}) är låst, så kunde API-nyckeln inte sparas; lås upp den och "
        "försök igen."
    )
    assert str(save.value).startswith(f"The keyring ({store}) is locked, so the API key")


def test_the_sign_in_dialog_says_the_keyring_problem_in_swedish(
    qtbot, swedish, context, no_keyring
) -> None:
    from test_signin import open_dialog
    from test_swedish import Scan

    dialog = open_dialog(qtbot, context)
    assert dialog.keyring_label.text().startswith("Ingen nyckelring finns i systemet")
    scan = Scan()
    scan.window(dialog, "sign-in without a keyring")
    assert not scan.found, scan.found


# -- 6. the job monitor's source ---------------------------------------------------------------


def test_a_receiver_port_in_use_is_said_in_swedish(swedish, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = SourceConfig(mode=SourceMode.EMBEDDED, bind="127.0.0.1", port=port)
        source = EventSource(config, tmp_path, lambda events: None, lambda status: None)
        with pytest.raises(SourceError) as failed:
            source.start()
        source.stop()
    os_words = str(failed.value).split(": ", 1)[1].rsplit(". Choose", 1)[0]
    assert str(failed.value) == (
        f"The callback receiver could not start on 127.0.0.1 port {port}: {os_words}. Choose "
        "another port in Settings."
    )
    assert swedish_only(library_text(failed.value.args[0]), os_words) == (
        f"Återanropsmottagaren kunde inte starta på 127.0.0.1 port {port}: {os_words}. Välj en "
        "annan port i Inställningar."
    )


def test_a_shared_receivers_errors_are_said_in_swedish(swedish) -> None:
    with answering(503, "Underhåll") as url:
        with pytest.raises(FollowerError) as unavailable:
            EventFollower(url, "t" * 32).poll(0, wait=0)
        assert swedish_only(error_sentence(unavailable.value), f"{url}/events", "Underhåll") == (
            f"Händelsemottagaren på {url}/events svarade HTTP 503: Underhåll"
        )
    with answering(401, "") as url, pytest.raises(FollowerAuthError) as refused:
        EventFollower(url, "t" * 32).poll(0, wait=0)
    assert swedish_only(error_sentence(refused.value), f"{url}/events") == (
        f"Händelsemottagaren på {url}/events nekade händelsetoken."
    )
    with pytest.raises(FollowerError) as plain_http:
        EventFollower("http://receiver.example.com", "t" * 32)
    assert swedish_only(error_sentence(plain_http.value)).startswith(
        "Den delade mottagarens adress 'http://receiver.example.com' använder okrypterad http://"
    )


def test_a_followers_status_lines_are_said_in_swedish(swedish, tmp_path: Path) -> None:
    said: list[str] = []
    seen = threading.Event()

    def on_status(status: str) -> None:
        said.append(library_text(status))
        seen.set()

    with answering(401, "") as url:
        config = SourceConfig(mode=SourceMode.FOLLOW, follow_url=url, follow_token="t" * 32)
        source = EventSource(config, tmp_path, lambda events: None, on_status)
        source.start()
        try:
            assert seen.wait(30)
        finally:
            source.stop()
    assert said[0] == (
        "Den delade mottagaren nekade händelsetoken; kontrollera den i Inställningar."
    )


def test_the_monitors_status_line_reaches_the_window_in_swedish(qtbot, swedish, window) -> None:
    """The demo's own receiver starts on a worker thread; its status line crosses to the GUI
    thread whole and is shown translated."""
    window.start_monitor()
    page = window._monitor_page
    qtbot.waitUntil(lambda: "jobbhändelser" in page.toolTip(), timeout=30_000)
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Tar emot jobbhändelser på http://127.0.0.1:")
    assert shown.endswith("/callbacks/…")
    assert english_in(shown) == []


# -- the stores the monitor and History read ---------------------------------------------------


def test_a_damaged_event_store_is_said_in_swedish_where_the_monitor_starts(
    swedish, tmp_path: Path
) -> None:
    from dispatch_desktop.events.source import STORE_FILE_NAME

    store = tmp_path / STORE_FILE_NAME
    store.write_bytes(b"not a database, " * 1024)  # a file damaged beyond SQLite's header
    source = EventSource(
        SourceConfig(mode=SourceMode.EMBEDDED, port=0), tmp_path, lambda e: None, lambda s: None
    )
    with pytest.raises(SourceError) as failed:
        source.start()
    source.stop()
    sqlite_words = str(failed.value).rsplit(": ", 1)[1].rstrip(".")
    assert str(failed.value) == f"The event store ({store}) could not be opened: {sqlite_words}."
    assert swedish_only(library_text(failed.value.args[0]), str(store), sqlite_words) == (
        f"Händelselagret ({store}) kunde inte öppnas: {sqlite_words}."
    )


def test_a_journal_from_a_newer_version_and_a_missing_folder_are_said_in_swedish(
    swedish, tmp_path: Path
) -> None:
    import sqlite3

    from dispatch_desktop.events.store import EventStore, EventStoreError
    from dispatch_desktop.storage.journal import JournalError, LaunchJournal

    newer = tmp_path / "journal.sqlite3"
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 999")
    connection.close()
    with pytest.raises(JournalError) as too_new:
        LaunchJournal(newer)
    known = LaunchJournal(tmp_path / "current.sqlite3").schema_version
    assert swedish_only(library_text(too_new.value.args[0]), str(newer)) == (
        f"Utskicksjournalen ({newer}) skrevs av en nyare version av Dispatch Desktop (schema "
        f"999, den här versionen känner till {known}); uppdatera Dispatch Desktop för att läsa den."
    )
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(EventStoreError) as no_folder:
        EventStore(blocked / "events.sqlite3")
    said = library_text(no_folder.value.args[0])
    assert said.startswith(f"Mappen för händelselagret ({blocked}) kunde inte skapas: ")
    assert str(no_folder.value).startswith(f"The folder of the event store ({blocked}) could not")


def test_a_job_the_server_did_not_start_without_a_reason_is_said_in_swedish(
    swedish, tmp_path: Path
) -> None:
    from dispatch_desktop.api import SavedJob
    from dispatch_desktop.launcher import LaunchPlan, launch
    from dispatch_desktop.storage.journal import LaunchJournal

    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    job = SavedJob(5, "Larm", "MonitoredMessage")
    with answering(200, '{"result": "FAILED", "errormessage": ""}') as url:
        plan = LaunchPlan(job, StartJobRequest(jobid=5), None, f"{url}/dispatch/api", "anna")
        outcome = launch(client_of(url), plan, journal)
    assert outcome.kind is Outcome.NOT_STARTED
    assert swedish_only(outcome_detail(outcome), "FAILED") == (
        "Jobbet startades inte (FAILED): servern angav ingen anledning"
    )
    [entry] = journal.entries()
    assert entry.message == "The job was not started (FAILED): the server gave no reason"
