"""The one placeholder formatter of every translated text (issue 11 §1): ``%1``, ``%2`` … are
replaced in a single pass, so what an argument holds is never substituted again."""

from __future__ import annotations

import pytest

from dispatch_desktop.translation_marks import fill


def test_each_placeholder_takes_its_argument_in_any_order() -> None:
    assert fill("%2 before %1", "one", "two") == "two before one"
    assert fill("%1 and %1", "x") == "x and x"


@pytest.mark.parametrize(
    ("name", "server"),
    [
        ("Drill %2 (test)", "https://dispatch.example.com/api"),
        ("%3 %1 %2", "https://evil.example.com"),
        ("100% sure %%1", "https://dispatch.example.com/api"),
    ],
)
def test_an_argument_is_shown_as_it_is_never_substituted_again(name: str, server: str) -> None:
    shown = fill("Start “%1” — %2\non %3?", name, "LIVE", server)
    assert shown == f"Start “{name}” — LIVE\non {server}?"
    assert shown.count(server) == 1  # the address appears once, on its own line


def test_a_placeholder_without_an_argument_stays_as_written() -> None:
    assert fill("%1 of %2", 3) == "3 of %2"
    assert fill("no placeholder", "unused") == "no placeholder"


def test_two_digit_placeholders_are_placeholders_of_their_own() -> None:
    args = [str(number) for number in range(1, 12)]
    assert fill("%11 %1", *args) == "11 1"
