"""Every value read from settings.ini is checked (issue 7 §5): a bad one is ignored, the
default used, and one log line names the key and quotes at most the start of the value.
Each test writes the INI file by hand, as an editor or an attacker would."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from dispatch_desktop.api import DEFAULT_SERVER_URL, AuthMethod, GenericType
from dispatch_desktop.events.config import DEFAULT_PORT, SourceConfig, SourceMode
from dispatch_desktop.ui.settings import AppSettings

ZWSP = "\u200b"
LOGGER = "dispatch_desktop.ui.settings"


def ini_text(value: str) -> str:
    """``value`` as a quoted INI string (QSettings' escapes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ini_json(value: object) -> str:
    return ini_text(json.dumps(value))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


def stored(path: Path, key: str, raw: str) -> AppSettings:
    """Settings whose file holds ``key=raw``, written as is."""
    section, name = key.split("/")
    path.write_text(f"[{section}]\n{name}={raw}\n", encoding="utf-8")
    return AppSettings(path)


def ignored_lines(caplog: pytest.LogCaptureFixture, key: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == LOGGER and r.getMessage().startswith(f"Settings: ignored {key} = ")
    ]


@pytest.fixture(autouse=True)
def _warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, LOGGER)


def assert_ignored_once(caplog: pytest.LogCaptureFixture, key: str) -> str:
    (line,) = ignored_lines(caplog, key)
    assert len(line) < 400, "a huge value must not be logged whole"
    return line


# -- missing file and keys -------------------------------------------------------------------


def test_no_file_gives_every_default_and_no_log_line(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = AppSettings(path)

    assert settings.server_url == DEFAULT_SERVER_URL
    assert settings.username == ""
    assert settings.auth_method is AuthMethod.FIELDS
    assert settings.http_method == "POST"
    assert settings.remember_credentials is False
    assert settings.window_geometry is None
    assert settings.window_state is None
    assert settings.job_type_mapping().generic_type_of("MonitoredMessage") is GenericType.GMM
    assert settings.event_source() == SourceConfig()
    assert settings.notifications_enabled is True
    assert settings.tag_vocabulary() == {}
    assert caplog.records == []


def test_values_written_by_the_app_read_back(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = AppSettings(path)
    settings.server_url = "https://dispatch.example.com/api"
    settings.username = "Åsa Öberg"
    settings.auth_method = AuthMethod.API_KEY_HEADER
    settings.http_method = "GET"
    settings.remember_credentials = True
    settings.window_geometry = QByteArray(b"\x01\xd9\xd0\xcb" * 10)
    settings.window_state = QByteArray(b"\x00\xff")
    settings.set_job_type_overrides({"SurveyMessage": GenericType.GMM, "QuickAssign": None})
    source = SourceConfig(SourceMode.FOLLOW, "192.0.2.10", 9000, "https://receiver.example.com")
    settings.set_event_source(source)
    settings.notifications_enabled = False
    settings.remember_tags({"Base": ["STO", "OSL"], "On call": ["Yes"]})
    settings.sync()

    again = AppSettings(path)

    assert again.server_url == "https://dispatch.example.com/api"
    assert again.username == "Åsa Öberg"
    assert again.auth_method is AuthMethod.API_KEY_HEADER
    assert again.http_method == "GET"
    assert again.remember_credentials is True
    assert again.window_geometry == QByteArray(b"\x01\xd9\xd0\xcb" * 10)
    assert again.window_state == QByteArray(b"\x00\xff")
    mapping = again.job_type_mapping()
    assert mapping.generic_type_of("SurveyMessage") is GenericType.GMM
    assert mapping.generic_type_of("QuickAssign") is None
    assert again.event_source() == source
    assert again.notifications_enabled is False
    assert again.tag_vocabulary() == {"Base": ["STO", "OSL"], "On call": ["Yes"]}
    assert caplog.records == []


# -- one test per key ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "https://x.example.com/api?U=alice",
        "https://" + "a" * 3000 + ".example.com/api",
        f"https://x.example.com/api{ZWSP}",
        "https://a.example.com, https://b.example.com",  # a list in INI
    ],
)
def test_server_address(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "signin/server", raw).server_url == DEFAULT_SERVER_URL
    assert_ignored_once(caplog, "signin/server")


@pytest.mark.parametrize("raw", ["a" * 5000, f"alice{ZWSP}", "alice\\nbob", "alice, bob"])
def test_username(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "signin/username", raw).username == ""
    line = assert_ignored_once(caplog, "signin/username")
    assert ZWSP not in line
    assert "\n" not in line


@pytest.mark.parametrize("raw", ["kerberos", "FIELDS", "", "@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x5)"])
def test_auth_method(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "signin/auth", raw).auth_method is AuthMethod.FIELDS
    assert_ignored_once(caplog, "signin/auth")


@pytest.mark.parametrize("raw", ["PUT", "get", ""])
def test_http_method(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "signin/http", raw).http_method == "POST"
    assert_ignored_once(caplog, "signin/http")


@pytest.mark.parametrize(
    ("key", "read", "default"),
    [
        ("signin/remember", lambda s: s.remember_credentials, False),
        ("monitor/notifications", lambda s: s.notifications_enabled, True),
    ],
)
@pytest.mark.parametrize("raw", ["yes", "1", "TRUE", "t" * 5000])
def test_switches(
    path: Path, caplog: pytest.LogCaptureFixture, key: str, read: object, default: bool, raw: str
) -> None:
    assert read(stored(path, key, raw)) is default  # type: ignore[operator]
    assert_ignored_once(caplog, key)


@pytest.mark.parametrize(
    ("key", "read"),
    [
        ("window/geometry", lambda s: s.window_geometry),
        ("window/state", lambda s: s.window_state),
    ],
)
@pytest.mark.parametrize("raw", ["hello", "1, 2", "@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x5)"])
def test_window_data_of_the_wrong_type(
    path: Path, caplog: pytest.LogCaptureFixture, key: str, read: object, raw: str
) -> None:
    assert read(stored(path, key, raw)) is None  # type: ignore[operator]
    assert_ignored_once(caplog, key)


def test_oversized_window_data(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = AppSettings(path)
    settings.window_geometry = QByteArray(b"x" * 100_000)
    settings.sync()

    assert AppSettings(path).window_geometry is None
    assert_ignored_once(caplog, "window/geometry")


DEEP = "[" * 50_000
BAD_JSON_DOCUMENTS = [
    pytest.param(DEEP, id="nested-50000-deep"),
    pytest.param("1" * 5000, id="5000-digit-number"),
    pytest.param(ini_text('{"a": ' + "9" * 5000 + "}"), id="5000-digit-number-inside"),
    pytest.param(ini_json("x" * 2_000_000), id="huge-string"),
    pytest.param(ini_json([1, 2, 3]), id="a-list"),
    pytest.param("{not json", id="not-json"),
    pytest.param("a, b", id="an-ini-list"),
]


@pytest.mark.parametrize("raw", BAD_JSON_DOCUMENTS)
def test_job_type_overrides_document(
    path: Path, caplog: pytest.LogCaptureFixture, raw: str
) -> None:
    mapping = stored(path, "jobtypes/overrides", raw).job_type_mapping()

    assert mapping.generic_type_of("MonitoredMessage") is GenericType.GMM
    line = assert_ignored_once(caplog, "jobtypes/overrides")
    assert "[" * 100 not in line


def test_job_type_overrides_keep_the_good_entries(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    raw = ini_json(
        {
            "SurveyMessage": "GMA",
            "Bad kind": "XYZ",
            "Number": 5,
            f"Hidden{ZWSP}": "GMM",
            "": "GMM",
            "x" * 300: "GMM",
            "QuickAssign": "",
        }
    )
    mapping = stored(path, "jobtypes/overrides", raw).job_type_mapping()

    assert mapping.generic_type_of("SurveyMessage") is GenericType.GMA
    assert mapping.generic_type_of("QuickAssign") is None
    assert mapping.generic_type_of(f"Hidden{ZWSP}") is None  # unknown, not the stored GMM
    assert_ignored_once(caplog, "jobtypes/overrides")


def test_job_type_overrides_enormous_object(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    raw = ini_json({f"Type {number}": "GMA" for number in range(10_000)})
    mapping = stored(path, "jobtypes/overrides", raw).job_type_mapping()

    assert mapping.generic_type_of("Type 499") is GenericType.GMA
    assert mapping.generic_type_of("Type 500") is None
    assert_ignored_once(caplog, "jobtypes/overrides")


@pytest.mark.parametrize("raw", BAD_JSON_DOCUMENTS)
def test_tag_vocabulary_document(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "tags/vocabulary", raw).tag_vocabulary() == {}
    assert_ignored_once(caplog, "tags/vocabulary")


def test_tag_vocabulary_keeps_the_good_entries(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    raw = ini_json(
        {
            "Base": [1, None, "STO", {"x": "y"}, ["OSL"], "CPH", " "],
            "On call": "Yes",
            "Role": ["x" * 300, f"Yes{ZWSP}", "Surgeon", "Nurse\\u2028"],
            "Big": [f"v{number}" for number in range(100_000)],
            f"Hidden{ZWSP}": ["STO"],
        }
    )
    vocabulary = stored(path, "tags/vocabulary", raw).tag_vocabulary()

    assert vocabulary == {
        "Base": ["STO", "CPH"],
        "Role": ["Surgeon", "Nurse\\u2028"],  # the escape is text, not the character
        "Big": [f"v{number}" for number in range(99_800, 100_000)],
    }
    assert_ignored_once(caplog, "tags/vocabulary")


def test_remembering_tags_repairs_a_tampered_vocabulary(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = stored(path, "tags/vocabulary", ini_json({"Base": [1, "STO"]}))

    settings.remember_tags({"Base": ["OSL"]})

    assert AppSettings(path).tag_vocabulary() == {"Base": ["STO", "OSL"]}


@pytest.mark.parametrize("raw", ["loud", "OFF", ""])
def test_monitor_mode(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "monitor/mode", raw).event_source().mode is SourceMode.OFF
    assert_ignored_once(caplog, "monitor/mode")


@pytest.mark.parametrize("raw", ["not a host!", "a" * 300, f"127.0.0.1{ZWSP}", "-x"])
def test_monitor_bind_address(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "monitor/bind", raw).event_source().bind == "127.0.0.1"
    assert_ignored_once(caplog, "monitor/bind")


@pytest.mark.parametrize("raw", ["192.0.2.10", "::1", "receiver.example.com", "localhost"])
def test_monitor_bind_address_accepted(path: Path, raw: str) -> None:
    assert stored(path, "monitor/bind", raw).event_source().bind == raw


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("²", id="superscript-two-isdigit-but-not-int"),
        pytest.param("８０", id="fullwidth-digits"),
        pytest.param("1" * 5000, id="5000-digits"),
        pytest.param("0", id="zero"),
        pytest.param("65536", id="too-big"),
        pytest.param("-1", id="negative"),
        pytest.param(ini_text(" 80"), id="leading-blank"),
        pytest.param("8080, 8081", id="a-list"),
    ],
)
def test_monitor_port(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "monitor/port", raw).event_source().port == DEFAULT_PORT
    assert_ignored_once(caplog, "monitor/port")


@pytest.mark.parametrize("raw", ["1", "8080", "65535"])
def test_monitor_port_accepted(path: Path, raw: str) -> None:
    assert stored(path, "monitor/port", raw).event_source().port == int(raw)


@pytest.mark.parametrize(
    "raw", ["ftp://x", "https://", "receiver.example.com", "https://x:99999", "h" * 3000]
)
def test_monitor_follow_url(path: Path, caplog: pytest.LogCaptureFixture, raw: str) -> None:
    assert stored(path, "monitor/follow_url", raw).event_source().follow_url == ""
    assert_ignored_once(caplog, "monitor/follow_url")


# -- the log line ----------------------------------------------------------------------------


def test_a_bad_value_is_logged_once_with_its_start_only(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = stored(path, "signin/username", "x" * 5000)

    for _ in range(3):
        assert settings.username == ""

    (line,) = ignored_lines(caplog, "signin/username")
    assert line == (
        "Settings: ignored signin/username = "
        f"{'x' * 60!r}... (5000 characters): longer than 2000 characters; the default is used."
    )


@pytest.mark.parametrize(
    ("key", "stored", "read"),
    [
        ("launch/undo_seconds", "0", 0),
        ("launch/undo_seconds", "10", 10),
        ("launch/undo_seconds", "11", 5),
        ("launch/undo_seconds", "²", 5),
        ("launch/undo_seconds", "9" * 5000, 5),
        ("launch/repeat_window_minutes", "45", 45),
        ("launch/repeat_window_minutes", "0", 30),
        ("launch/repeat_window_minutes", "-5", 30),
    ],
)
def test_launch_safety_numbers_are_checked(
    tmp_path: Path, key: str, stored: str, read: int
) -> None:
    path = tmp_path / "settings.ini"
    QSettings(str(path), QSettings.Format.IniFormat).setValue(key, stored)
    settings = AppSettings(path)
    value = settings.undo_seconds if "undo" in key else settings.repeat_window_minutes
    assert value == read


def test_exercise_prefixes_have_defaults_per_language_and_can_be_changed(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    assert settings.exercise_prefix("en") == "EXERCISE – "
    assert settings.exercise_prefix("sv") == "ÖVNING – "
    settings.set_exercise_prefix("sv", "ÖVNING: ")
    assert AppSettings(tmp_path / "settings.ini").exercise_prefix("sv") == "ÖVNING: "
    QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).setValue(
        "launch/exercise_prefix_en", "EX\u200bERCISE"
    )
    assert AppSettings(tmp_path / "settings.ini").exercise_prefix("en") == "EXERCISE – "


def test_favourites_are_kept_per_server_with_exact_ids(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    big = 352872112744058883
    settings.set_favourite("https://a/api/", big, True)
    settings.set_favourite("https://a/api", 7, True)
    settings.set_favourite("https://b/api", 8, True)
    settings.set_favourite("https://a/api", 7, False)

    again = AppSettings(tmp_path / "settings.ini")
    assert again.favourite_jobs("https://a/api") == [big]
    assert again.favourite_jobs("https://b/api") == [8]
    assert again.favourite_jobs("https://c/api") == []


def test_tampered_favourites_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    QSettings(str(path), QSettings.Format.IniFormat).setValue(
        "favourites/jobs", json.dumps({"https://a/api": [1, 3.5e17, "9", True, -1, 2**64, 5]})
    )
    assert AppSettings(path).favourite_jobs("https://a/api") == [1, 5]


@pytest.mark.parametrize(
    ("stored", "read"),
    [("30", 30), ("1", 1), ("3650", 3650), ("0", 90), ("3651", 90), ("-5", 90), ("²", 90)],
)
def test_the_days_job_events_are_kept_are_checked(tmp_path: Path, stored: str, read: int) -> None:
    path = tmp_path / "settings.ini"
    QSettings(str(path), QSettings.Format.IniFormat).setValue("monitor/retention_days", stored)
    assert AppSettings(path).event_retention_days == read


def test_the_days_job_events_are_kept_default_to_90_and_can_be_changed(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    assert settings.event_retention_days == 90
    settings.event_retention_days = 30
    settings.sync()
    assert AppSettings(tmp_path / "settings.ini").event_retention_days == 30
    with pytest.raises(ValueError, match="between 1 and 3650"):
        settings.event_retention_days = 0
