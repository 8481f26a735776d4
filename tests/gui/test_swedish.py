"""The app in Swedish (issue 11 §1): signed in to the demo server, every window a dispatcher
meets — the form, the confirmation, the outcome, History, Monitor, Settings and the sign-in
dialog — shows no English word in any text, tooltip, accessible name, placeholder, menu, tab
or header. Proper nouns and the demo's data (job names and types, tags, people: data, not
interface) may be anything."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QDialog,
    QLabel,
    QWidget,
)
from test_launch import wait_for_outcome
from test_main_window import OFFICE_PARTY, select_job
from test_no_developer_words import open_and_scan, scan_after_a_launch, widget_texts

from dispatch_desktop.api import ValidationError
from dispatch_desktop.demo.data import CONTACTS, SAVED_JOBS
from dispatch_desktop.launcher import LaunchOutcome
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.common import translate
from dispatch_desktop.ui.language import install_language
from dispatch_desktop.ui.main_window import MainWindow

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "dispatch_desktop_sv.ts"
WORD = re.compile(r"[A-Za-zÅÄÖåäö]+")
# Not words of the interface: placeholders, addresses, markup, keys, command-line options,
# HTTP header names and the request fields credentials travel in, which the Dispatch
# documentation names so.
NOT_WORDS = re.compile(
    r"%(?:n|\d+)|https?://\S*|<[^>]*>|&\w+;|\b(?:Ctrl|Alt|Shift)\+\w+|--[a-z-]+"
    r"|\bX-[A-Za-z-]+|\((?:username/password, U/P|apikey, key)\)"
)
# Words a Swedish text uses as English does: Swedish words spelled alike, names, technical
# terms and keys. (Listed, not taken from the translations: a word left in English in one
# translation must not hide it everywhere.)
ALLOWED = {
    *("demo", "export", "filter", "form", "in", "min", "per", "port", "server", "start"),
    *("status", "text", "token", "internet", "proxy", "problem", "se", "id", "s"),
    *("position", "program", "data", "version", "schema"),
    *("dispatch", "desktop", "lekab", "english"),  # "English": the language's own name
    *("api", "csv", "http", "json", "tls", "url", "sms", "utc", "ok", "get", "post", "basic"),
    *("utf", "ca", "mb"),
    *("gmm", "gma", "genericmonitoredmessage", "genericmultiassign", "ucs", "gsm"),
    *("esc", "ctrl", "enter", "f"),
    *("pin", "person"),  # "PIN-kod", "en andra person": Swedish as well
}


def english_words() -> set[str]:
    """The words of the interface's English texts, but for those Swedish shares."""
    english: set[str] = set()
    for message in ET.parse(TS).getroot().iter("message"):  # noqa: S314 - our own file
        source = NOT_WORDS.sub(" ", message.findtext("source") or "")
        english.update(word.lower() for word in WORD.findall(source))
    return english - ALLOWED


def data_words() -> set[str]:
    """The words of the demo's data: job names and types, tags, people."""
    texts = [text for job in SAVED_JOBS for text in (job.name, job.type)]
    for contact in CONTACTS:
        texts.append(contact.name)
        for tagtype, values in contact.tags.items():
            texts.extend((tagtype, *values))
    return {word.lower() for text in texts for word in WORD.findall(text)}


ENGLISH = english_words() - data_words()


def english_in(text: str) -> list[str]:
    visible = NOT_WORDS.sub(" ", text.replace("&", ""))
    return [word for word in WORD.findall(visible) if word.lower() in ENGLISH]


class Scan:
    """The English words found so far, with where."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}
        self.texts = 0

    def window(self, window: QWidget, where: str) -> None:
        for widget in [window, *window.findChildren(QWidget)]:
            if not widget.isVisibleTo(window) and widget is not window:
                continue
            for text in widget_texts(widget):
                self.texts += 1
                if words := english_in(text):
                    name = widget.accessibleName() or type(widget).__name__
                    self.found[f"{where} / {name}: {text[:120]!r}"] = words


@pytest.fixture
def swedish(qapp) -> Iterator[None]:
    install_language(qapp, "sv")
    yield
    install_language(qapp, "en")


@pytest.fixture
def swedish_window(swedish, window: MainWindow) -> MainWindow:
    return window


def test_the_scan_finds_english_and_lets_swedish_and_data_be() -> None:
    assert english_in("Saved job") == ["Saved", "job"]
    assert english_in("Sparade jobb: 5") == []
    assert english_in("Office Party · MonitoredMessage") == []  # the demo's data
    assert english_in("Dispatch Desktop, http://127.0.0.1:8080/dispatch/api") == []


def test_no_english_word_in_any_window_in_swedish(
    qtbot, swedish_window: MainWindow, modal: ModalHandler
) -> None:
    window = swedish_window
    scan = Scan()
    scan.window(window, "signed in")
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Bse:STO")
    qtbot.keyClicks(window.form.tonumbers, "+4670")
    window.form.jobname.setText("Öv\tning")  # a pasted control character, named in words
    scan.window(window, "form with problems")
    labels = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    assert any(text.startswith("Jobbnamn: texten innehåller TABB (U+0009)") for text in labels)
    window.form.tonumbers.clear()
    window.form.jobname.clear()
    window.form.tagfilter.set_filter("Base:STO")
    window.form.keep_replace.click()
    confirm_button = button_named(translate("Confirm", "Confirm start job"))

    def confirm(dialog: QDialog) -> None:
        button = confirm_button(dialog)
        assert isinstance(button, QAbstractButton)
        button.click()

    open_and_scan(modal, scan, "confirmation", confirm)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    outcomes = (Outcome.NOT_STARTED, Outcome.CANCELLED, Outcome.UNKNOWN)
    scan_after_a_launch(qtbot, window, modal, scan, outcomes, "Serverns egna ord.")

    assert scan.texts > 500  # the scan saw the windows, not nothing
    assert not scan.found, "\n".join(f"{w} -> {words}" for w, words in scan.found.items())


def test_swedish_dates_are_24_hour_iso_with_week_numbers(qtbot, swedish) -> None:
    assert QLocale().language() == QLocale.Language.Swedish
    assert QLocale().firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert "AP" not in QLocale().timeFormat(QLocale.FormatType.ShortFormat).upper()
    from dispatch_desktop.ui.start_form import StartJobForm

    form = StartJobForm()
    qtbot.addWidget(form)
    assert form.scheduledstart.displayFormat() == "yyyy-MM-dd HH:mm"
    calendar = form.scheduledstart.calendarWidget()
    assert isinstance(calendar, QCalendarWidget)
    assert calendar.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers
    assert calendar.locale().language() == QLocale.Language.Swedish
    assert QLocale().dayName(QDate(2026, 12, 3).dayOfWeek()) == "torsdag"


def test_the_library_refusals_and_outcomes_are_said_in_swedish(swedish) -> None:
    from dispatch_desktop.api import StartJobRequest
    from dispatch_desktop.api.validation import find_problems
    from dispatch_desktop.ui.common import error_sentence
    from dispatch_desktop.ui.launch_panel import outcome_detail

    _, problems = find_problems(StartJobRequest(jobid=5, tonumbers=["+4670"], responsegoal=0))
    sentences = [error_sentence(problem) for problem in problems]
    assert sentences == [
        "Mottagare (telefonnummer): '+4670' är inte ett telefonnummer; använd siffror med ett "
        "valfritt inledande +, 6 till 15 siffror, inga mellanslag.",
        "Svarsmål: 0 är inte ett heltal större än 0.",
    ]
    _, [problem] = find_problems(StartJobRequest(jobid=5, toaddressbookcustomtagfilter="Base"))
    assert error_sentence(problem) == (
        "Mottagare (taggfilter): Taggfiltrets del 'Base' saknar ':' mellan taggtyp och värden; "
        "skriv den som typ:värde1|värde2."
    )
    from dispatch_desktop.api import AuthMethod, Credentials
    from dispatch_desktop.api.validation import check_credentials, check_server_url

    with pytest.raises(ValidationError) as insecure:
        check_server_url("http://dispatch.example.com/api")
    assert error_sentence(insecure.value).startswith(
        "Serveradressen 'http://dispatch.example.com/api' använder okrypterad http://"
    )
    with pytest.raises(ValidationError) as no_password:
        check_credentials(Credentials(username="anna"), AuthMethod.FIELDS)
    assert error_sentence(no_password.value) == "Lösenord: ange lösenordet för API-kontot."
    started = LaunchOutcome(Outcome.OK, "Job 'x' started.", runtimeid=2**63 - 1, jobname="%1")
    assert outcome_detail(started) == "Jobbet ”%1” startade med körnings-id 9223372036854775807."


def test_the_confirmation_heading_keeps_placeholders_of_a_name_in_swedish(qtbot, swedish) -> None:
    from dispatch_desktop.api import SavedJob, StartJobRequest
    from dispatch_desktop.storage.journal import LaunchMode
    from dispatch_desktop.ui.confirm import ConfirmLaunchDialog

    server = "https://dispatch.example.com/api"
    job = SavedJob(5, "Övning %2 (test) %3", "MonitoredMessage")
    dialog = ConfirmLaunchDialog(
        job, StartJobRequest(jobid=5), None, server=server, demo=False, mode=LaunchMode.EXERCISE
    )
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == f"Starta ”Övning %2 (test) %3” — ÖVNING\npå {server}?"


def test_the_command_line_chooses_the_language_at_start(qapp, restore_logging) -> None:
    from dispatch_desktop.cli import build_parser
    from dispatch_desktop.ui.app import prepare

    try:
        prepare(build_parser().parse_args(["--language", "sv"]))
        assert translate("MainWindow", "&Quit") == "&Avsluta"
        assert QLocale().language() == QLocale.Language.Swedish
        prepare(build_parser().parse_args([]))  # LANGUAGE=en in the tests
        assert translate("MainWindow", "&Quit") == "&Quit"
    finally:
        install_language(qapp, "en")


def test_the_settings_page_offers_the_languages_and_says_when_it_applies(qtbot, swedish) -> None:
    from dispatch_desktop.api import JobTypeMapping
    from dispatch_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(JobTypeMapping(), [], demo=False, language="sv")
    qtbot.addWidget(dialog)
    page = dialog.language
    assert page.value() == "sv"
    items = [page.choice.itemText(i) for i in range(page.choice.count())]
    assert items == ["Som systemet", "English", "Svenska"]
    page.choice.setCurrentIndex(0)
    assert page.value() == ""
    rules = [label.text() for label in page.findChildren(QLabel)]
    assert any("nästa start" in text for text in rules)


def test_no_swedish_translation_holds_an_english_word() -> None:
    """Every translation, also of texts no scenario shows (tray notifications, rare errors)."""
    found = []
    for message in ET.parse(TS).getroot().iter("message"):  # noqa: S314 - our own file
        translation = message.find("translation")
        assert translation is not None
        for text in [translation.text or "", *(form.text or "" for form in translation)]:
            if words := english_in(text):
                found.append(f"{message.findtext('source')!r} -> {text!r}: {words}")
    assert not found, "\n".join(found)


def test_a_server_that_cannot_be_reached_is_said_in_swedish(swedish) -> None:
    """A real connection to a port nobody listens on (a listener bound, then closed)."""
    import socket

    from dispatch_desktop.api import ConnectionFailed, Credentials, DispatchClient
    from dispatch_desktop.ui.common import error_sentence

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = DispatchClient(
        f"http://127.0.0.1:{port}/dispatch/api", Credentials(username="u", password="p")
    )
    with pytest.raises(ConnectionFailed) as refused:
        client.list_saved_jobs()
    client.close()
    assert str(refused.value).startswith("Could not connect to 127.0.0.1.")
    assert error_sentence(refused.value) == (
        "Det gick inte att ansluta till 127.0.0.1. Kontrollera nätverksanslutningen, eventuell "
        "proxy eller brandvägg och serveradressen."
    )
