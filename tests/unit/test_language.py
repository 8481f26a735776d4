"""Which language the windows speak (issue 11 §1): the policy over all, then --language,
then the Settings choice, then the system locale as gettext reads it, then English."""

from __future__ import annotations

import pytest

from dispatch_desktop.cli import build_parser
from dispatch_desktop.ui.language import choose_language, system_language

SWEDISH_DESK = {"LANG": "sv_SE.UTF-8"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "sv_FI.UTF-8", "LANG": "en_US.UTF-8"}, "sv"),
        ({"LC_MESSAGES": "sv_SE", "LANG": "en_US.UTF-8"}, "sv"),
        ({"LANGUAGE": "sv:en", "LANG": "en_US.UTF-8"}, "sv"),
        ({"LANGUAGE": "de:sv", "LANG": "en_US.UTF-8"}, "sv"),  # the first one we speak
        ({"LANGUAGE": "de", "LANG": "sv_SE.UTF-8"}, "sv"),  # LANGUAGE without ours: next
        ({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}, None),  # C: no preference, English
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LANG": "sv_SE@euro"}, "sv"),
        ({}, None),
    ],
)
def test_the_system_language_is_read_as_gettext_reads_it(
    environ: dict[str, str], expected: str | None
) -> None:
    assert system_language(environ) == expected


def test_without_any_choice_the_system_decides_then_english() -> None:
    assert choose_language(None, "", SWEDISH_DESK) == "sv"
    assert choose_language(None, "", {"LANG": "de_DE.UTF-8"}) == "en"


def test_settings_override_the_system_and_the_command_line_overrides_settings() -> None:
    assert choose_language(None, "en", SWEDISH_DESK) == "en"
    assert choose_language("sv", "en", {"LANG": "en_US.UTF-8"}) == "sv"
    assert choose_language("en", "sv", SWEDISH_DESK) == "en"


def test_the_policy_wins_over_all() -> None:
    assert choose_language("sv", "sv", SWEDISH_DESK, policy_language="en") == "en"
    assert choose_language("en", "en", {}, policy_language="sv") == "sv"


def test_a_language_we_do_not_speak_is_passed_over() -> None:
    assert choose_language("de", "fr", SWEDISH_DESK) == "sv"


def test_the_command_line_offers_swedish_and_english_only() -> None:
    assert build_parser().parse_args(["--language", "sv"]).language == "sv"
    assert build_parser().parse_args([]).language is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--language", "de"])
