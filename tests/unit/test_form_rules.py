"""The start-job form's rules without Qt: the exercise marker, keep or replace, tag spellings
and what a launch leaves behind."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_desktop.api import GenericType, StartJobRequest, TagFilter, ValidationError
from dispatch_desktop.form_rules import (
    EXERCISE_NEEDS_MESSAGE,
    KEEP_CHOICE_NEEDED,
    UnknownTag,
    gives_recipients,
    is_marked,
    keep_problem,
    launch_mode,
    marked_message,
    may_have_sent,
    nearest_spelling,
    tags_of,
    tokeep_for,
    unknown_tags,
    unmarked_message,
    was_exercise,
)
from dispatch_desktop.storage.journal import LaunchMode, Outcome

JOB = 352872112744058883
MARKERS = ("EXERCISE – ", "ÖVNING – ")
VOCABULARY = {
    "Base": ["STO", "OSL", "CPH"],
    "Language": ["Swedish", "Norwegian"],
    "On call": ["Yes", "No"],
}

# -- the exercise marker --------------------------------------------------------------------


def test_an_exercise_message_starts_with_the_marker() -> None:
    assert marked_message("Fire drill at 10", MARKERS) == "EXERCISE – Fire drill at 10"


@pytest.mark.parametrize(
    "message",
    [
        "EXERCISE – Fire drill",
        "exercise – fire drill",  # typed in lower case: still marked
        "  EXERCISE –Fire drill",  # blanks around the marker do not matter
        "ÖVNING – Brandövning",  # the other language's marker counts as marked too
    ],
)
def test_a_message_already_marked_is_never_marked_twice(message: str) -> None:
    assert is_marked(message, MARKERS)
    assert marked_message(message, MARKERS) == message


@pytest.mark.parametrize("message", [None, "", "   ", "\n\n"])
def test_an_exercise_without_a_message_of_its_own_is_refused(message: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        marked_message(message, MARKERS)
    assert caught.value.field == "message"
    assert str(caught.value) == EXERCISE_NEEDS_MESSAGE
    assert "saved job's own message cannot be marked" in str(caught.value)


def test_a_word_that_only_begins_like_the_marker_is_not_a_marker() -> None:
    assert marked_message("EXERCISES start at 10", MARKERS) == "EXERCISE – EXERCISES start at 10"


def test_the_sent_message_is_shown_without_its_marker() -> None:
    assert unmarked_message("EXERCISE – Fire drill", MARKERS) == "Fire drill"
    # A marker the settings no longer know stays in the message: marking does not add another.
    assert unmarked_message("ÖVNING – Brand", MARKERS) == "ÖVNING – Brand"
    assert unmarked_message("DRILL – Fire", MARKERS) == "DRILL – Fire"


@given(st.text(min_size=1).filter(str.strip))
def test_unmarking_then_marking_gives_back_exactly_what_was_sent(typed: str) -> None:
    sent = marked_message(typed, MARKERS)
    assert marked_message(unmarked_message(sent, MARKERS), MARKERS) == sent


def test_a_double_marker_typed_on_purpose_survives_the_round_trip() -> None:
    sent = marked_message("EXERCISE – EXERCISE – x", MARKERS)
    assert sent == "EXERCISE – EXERCISE – x"
    assert marked_message(unmarked_message(sent, MARKERS), MARKERS) == sent


@pytest.mark.parametrize(
    ("demo", "exercise", "mode"),
    [
        (False, False, LaunchMode.LIVE),
        (False, True, LaunchMode.EXERCISE),
        (True, False, LaunchMode.DEMO),
        (True, True, LaunchMode.DEMO),  # a drill of a drill stays in the demo world
    ],
)
def test_the_launch_mode(demo: bool, exercise: bool, mode: LaunchMode) -> None:
    assert launch_mode(demo=demo, exercise=exercise) is mode


@pytest.mark.parametrize(
    ("mode", "message", "exercise"),
    [
        (LaunchMode.EXERCISE, "EXERCISE – x", True),
        (LaunchMode.EXERCISE, None, True),
        (LaunchMode.DEMO, "EXERCISE – x", True),
        (LaunchMode.DEMO, "x", False),
        (LaunchMode.DEMO, None, False),
        (LaunchMode.LIVE, "EXERCISE – x", False),  # a live launch is never made a drill
    ],
)
def test_whether_a_journaled_launch_was_an_exercise(
    mode: LaunchMode, message: str | None, exercise: bool
) -> None:
    assert was_exercise(mode, message, MARKERS) is exercise


# -- keep or replace --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"tonumbers": ["+46701234567"]},
        {"toaddressbookcustomtagfilter": "Base:STO"},
        {"toaddressbooktagfilterjson": [{"tagtype": "Base", "tagvalues": ["STO"]}]},
        {"toaddressbooksavedtagfilters": ["Xmas2022"]},
        {"toaddressbookgroups": ["Management team"]},
    ],
)
def test_each_recipient_field_asks_for_keep_or_replace(fields: dict[str, object]) -> None:
    request = StartJobRequest(jobid=JOB, **fields)  # type: ignore[arg-type]
    assert gives_recipients(request)
    assert keep_problem(request, GenericType.GMM) == KEEP_CHOICE_NEEDED
    assert keep_problem(request, None) == KEEP_CHOICE_NEEDED  # unknown type: ask too


def test_exclusions_alone_ask_nothing() -> None:
    request = StartJobRequest(
        jobid=JOB, excludenumbers=["+46701234567"], excludecustomtagfilter="Base:STO", tonumbers=[]
    )
    assert not gives_recipients(request)
    assert keep_problem(request, GenericType.GMM) == ""


def test_a_choice_or_a_gma_job_needs_no_question() -> None:
    for keep in (True, False):
        chosen = StartJobRequest(jobid=JOB, tonumbers=["+46701234567"], tokeep=keep)
        assert keep_problem(chosen, GenericType.GMM) == ""
    gma = StartJobRequest(jobid=JOB, toaddressbookcustomtagfilter="Base:STO", responsegoal=2)
    assert keep_problem(gma, GenericType.GMA) == ""


@pytest.mark.parametrize(
    ("given_", "keep", "generic", "tokeep"),
    [
        (False, True, GenericType.GMM, None),  # no recipients: nothing to keep or replace
        (True, None, GenericType.GMM, None),  # not chosen yet
        (True, True, GenericType.GMM, True),
        (True, False, GenericType.GMM, False),
        (True, True, None, True),
        (True, None, GenericType.GMA, False),  # GMA always replaces
        (True, True, GenericType.GMA, False),
    ],
)
def test_tokeep_carries_the_choice(
    given_: bool, keep: bool | None, generic: GenericType | None, tokeep: bool | None
) -> None:
    assert tokeep_for(given_, keep, generic) is tokeep


# -- tag spellings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "nearest"),
    [
        ("Bse", "Base"),
        ("base", "Base"),
        ("BASE", "Base"),
        ("Langauge", "Language"),
        ("On cal", "On call"),
        ("Shoe size", None),
        ("", None),
    ],
)
def test_the_nearest_known_spelling(word: str, nearest: str | None) -> None:
    assert nearest_spelling(word, VOCABULARY) == nearest


def test_nothing_is_near_in_an_empty_vocabulary() -> None:
    assert nearest_spelling("Base", []) is None


def test_unknown_types_and_values_are_listed_with_their_nearest_spelling() -> None:
    conditions = [("Bse", ["STO"]), ("Language", ["Swedsh", "Norwegian"]), ("Base", ["Nowhere"])]
    found = unknown_tags(conditions, VOCABULARY)
    assert [str(tag) for tag in found] == ["Bse", "Language: Swedsh", "Base: Nowhere"]
    assert found == [
        UnknownTag("Bse", None, "Base"),
        UnknownTag("Language", "Swedsh", "Swedish"),
        UnknownTag("Base", "Nowhere", None),
    ]


def test_known_spellings_are_not_flagged() -> None:
    assert unknown_tags([("Base", ["STO", " OSL "]), ("On call", ["Yes"])], VOCABULARY) == []


def test_a_type_in_another_case_is_flagged_and_its_values_still_checked() -> None:
    found = unknown_tags([("base", ["STO", "Stokholm"])], VOCABULARY)
    assert found == [UnknownTag("base", None, "Base"), UnknownTag("base", "Stokholm", None)]


def test_values_of_an_unknown_type_are_not_checked_and_each_tag_is_listed_once() -> None:
    found = unknown_tags([("Shoe size", ["42"]), ("Shoe size", ["43"]), ("", ["x"])], VOCABULARY)
    assert found == [UnknownTag("Shoe size", None, None)]


def test_everything_is_new_to_an_empty_vocabulary() -> None:
    assert [str(t) for t in unknown_tags([("Base", ["STO"])], {})] == ["Base"]


def test_the_tags_a_request_uses() -> None:
    request = StartJobRequest(
        jobid=JOB,
        toaddressbookcustomtagfilter=TagFilter.parse("Base:STO|OSL;On call:Yes"),
        excludecustomtagfilter="Base:OSL|CPH",
    )
    assert tags_of(request) == {"Base": ["STO", "OSL", "CPH"], "On call": ["Yes"]}
    assert tags_of(StartJobRequest(jobid=JOB)) == {}


# -- after a launch ---------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(Outcome))
def test_the_form_is_emptied_only_when_messages_may_have_gone_out(outcome: Outcome) -> None:
    sent = {Outcome.OK, Outcome.STARTED_UNVERIFIABLE, Outcome.UNKNOWN, Outcome.PENDING}
    assert may_have_sent(outcome) is (outcome in sent)
