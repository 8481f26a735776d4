"""Checks of a start request before anything is sent (reference 2.2.1, 2.2.2, F1, F7–F10)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dispatch_desktop.api import (
    AuthMethod,
    Credentials,
    DispatchError,
    GenericType,
    StartJobRequest,
    TagFilter,
    ValidationError,
)
from dispatch_desktop.api.validation import (
    check_credentials,
    check_server_url,
    find_problems,
    label,
    validate_start_request,
)

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
JOB_ID = 352872112744058883  # reference 1.2.2; above 2**53 (F1)
GMM, GMA = GenericType.GMM, GenericType.GMA
JSON_FILTER = [{"tagtype": "Role", "tagvalues": ["Surgeon"]}]


def problems_of(
    request: StartJobRequest, generic_type: GenericType | None = None
) -> list[ValidationError]:
    return find_problems(request, generic_type, now=NOW)[1]


def params_of(request: StartJobRequest, generic_type: GenericType | None = None) -> dict[str, Any]:
    return validate_start_request(request, generic_type, now=NOW)


def only_problem(
    request: StartJobRequest, generic_type: GenericType | None = None
) -> ValidationError:
    problems = problems_of(request, generic_type)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert_names_its_field(problem)
    return problem


def assert_names_its_field(problem: ValidationError) -> None:
    """The message names the field as the form does, never by its POST key."""
    assert problem.field is not None
    assert str(problem).startswith(label(problem.field)), "the message must name the field"
    post_keys = {spec for spec in StartJobRequest.__dataclass_fields__} - {"message"}
    assert not [key for key in post_keys if key in str(problem)], str(problem)


# -- jobid (F1) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "jobid",
    [
        pytest.param(True, id="bool"),
        pytest.param(float(JOB_ID), id="float"),
        pytest.param(str(JOB_ID), id="str"),
        pytest.param(None, id="none"),
        pytest.param(0, id="zero"),
        pytest.param(-JOB_ID, id="negative"),
        pytest.param(2**63, id="beyond-64-bit"),
    ],
)
def test_jobid_that_is_not_a_positive_64_bit_int_is_refused(jobid: Any) -> None:
    assert only_problem(StartJobRequest(jobid=jobid)).field == "jobid"


@pytest.mark.parametrize("jobid", [1, JOB_ID, 2**63 - 1])
def test_jobid_is_kept_exactly(jobid: int) -> None:
    params = params_of(StartJobRequest(jobid=jobid))

    assert params == {"jobid": jobid}
    assert type(params["jobid"]) is int


# -- texts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["jobname", "message"])
@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_blank_text_is_refused(field: str, value: str) -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, **{field: value}))

    assert problem.field == field
    assert "blank" in str(problem)


@pytest.mark.parametrize("field", ["jobname", "message"])
def test_text_field_refuses_a_non_text_value(field: str) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, **{field: 42})).field == field


def test_texts_are_sent_unchanged() -> None:
    params = params_of(StartJobRequest(jobid=JOB_ID, jobname=" Xmas bash ", message="Hej på er!"))

    assert params == {"jobid": JOB_ID, "jobname": " Xmas bash ", "message": "Hej på er!"}


# -- phone numbers --------------------------------------------------------------------------

NUMBER_FIELDS = ["tonumbers", "excludenumbers"]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("number", ["+46701234567", "0701234567", "123456", "+123456789012345"])
def test_plausible_phone_number_is_accepted(field: str, number: str) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, **{field: [number]}))[field] == [number]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize(
    "number",
    [
        pytest.param("+46 70 123 45 67", id="spaces"),
        pytest.param("070-1234567", id="dash"),
        pytest.param("070abc1234", id="letters"),
        pytest.param("12345", id="five-digits"),
        pytest.param("+1234567890123456", id="sixteen-digits"),
        pytest.param("++46701234567", id="two-plus-signs"),
        pytest.param("46701234567\n", id="trailing-line-break"),
        pytest.param("٠٧٠١٢٣٤٥٦٧", id="non-ascii-digits"),
        pytest.param("", id="empty"),
        pytest.param(46701234567, id="int"),
    ],
)
def test_implausible_phone_number_is_refused_and_quoted(field: str, number: Any) -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, **{field: ["+46701234567", number]}))

    assert problem.field == field
    assert repr(number) in str(problem)


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_phone_numbers_must_be_a_list(field: str) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, **{field: "+46701234567"})).field == field


# -- names of saved filters and groups ------------------------------------------------------


@pytest.mark.parametrize("field", ["toaddressbooksavedtagfilters", "toaddressbookgroups"])
def test_blank_name_in_a_list_is_refused(field: str) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, **{field: ["Day", " "]})).field == field


def test_names_given_as_a_tuple_are_sent_as_a_list() -> None:
    params = params_of(StartJobRequest(jobid=JOB_ID, toaddressbookgroups=("Oslo, night shift",)))

    assert params["toaddressbookgroups"] == ["Oslo, night shift"]


# -- responsegoal ---------------------------------------------------------------------------


@pytest.mark.parametrize("goal", [1, 25])
def test_positive_response_goal_is_accepted(goal: int) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, responsegoal=goal))["responsegoal"] == goal


@pytest.mark.parametrize("goal", [0, -1, 1.0, True, "2"])
def test_response_goal_that_is_not_a_positive_int_is_refused(goal: Any) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, responsegoal=goal)).field == "responsegoal"


# -- tokeep ---------------------------------------------------------------------------------


def test_tokeep_must_be_a_bool() -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, tokeep="yes")).field == "tokeep"  # type: ignore[arg-type]


# -- scheduledstart (F10) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "sent"),
    [
        pytest.param(
            datetime(2030, 2, 14, 17, 0, tzinfo=timezone(timedelta(hours=2))),
            "2030-02-14T17:00:00+02:00",
            id="explicit-offset-kept",
        ),
        pytest.param(
            datetime(2030, 2, 14, 13, 0, tzinfo=timezone(timedelta(hours=-2))),
            "2030-02-14T13:00:00-02:00",
            id="negative-offset",
        ),
        pytest.param(
            datetime(2030, 7, 1, 8, 30, 15, 999999, tzinfo=ZoneInfo("Europe/Stockholm")),
            "2030-07-01T08:30:15+02:00",
            id="zoneinfo-summer-time-seconds-precision",
        ),
        pytest.param(
            datetime(2030, 2, 14, 15, 0, tzinfo=UTC), "2030-02-14T15:00:00+00:00", id="utc"
        ),
    ],
)
def test_future_aware_start_is_sent_in_iso_form_with_its_offset(when: datetime, sent: str) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, scheduledstart=when))["scheduledstart"] == sent


@pytest.mark.parametrize(
    ("when", "words"),
    [
        pytest.param(datetime(2030, 2, 14, 17, 0), "time zone", id="naive"),
        pytest.param(NOW - timedelta(minutes=1), "not in the future", id="past"),
        pytest.param(NOW, "not in the future", id="now"),
        pytest.param("2030-02-14T17:00:00+02:00", "date and time", id="text"),
    ],
)
def test_scheduled_start_that_is_naive_past_or_not_a_datetime_is_refused(
    when: Any, words: str
) -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, scheduledstart=when))

    assert problem.field == "scheduledstart"
    assert words in str(problem)


def test_scheduled_start_is_compared_with_the_real_clock_by_default() -> None:
    past = datetime.now(UTC) - timedelta(seconds=5)

    with pytest.raises(ValidationError, match="not in the future"):
        validate_start_request(StartJobRequest(jobid=JOB_ID, scheduledstart=past))


# -- tag filters in a request ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["toaddressbookcustomtagfilter", "excludecustomtagfilter"])
def test_string_filter_is_sent_in_canonical_form(field: str) -> None:
    request = StartJobRequest(jobid=JOB_ID, **{field: " Base:STO|OSL ; On call:Yes "})

    assert params_of(request)[field] == "Base:STO|OSL;On call:Yes"


@pytest.mark.parametrize("field", ["toaddressbookcustomtagfilter", "excludecustomtagfilter"])
def test_filter_object_is_sent_as_its_text(field: str) -> None:
    request = StartJobRequest(jobid=JOB_ID, **{field: TagFilter.parse("Role:Surgeon")})

    assert params_of(request)[field] == "Role:Surgeon"


@pytest.mark.parametrize("field", ["toaddressbooktagfilterjson", "excludetagfilterjson"])
@pytest.mark.parametrize(
    "value", [JSON_FILTER, TagFilter.parse("Role:Surgeon")], ids=["list", "filter"]
)
def test_json_filter_is_sent_as_a_list_of_parts(field: str, value: Any) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, **{field: value}))[field] == JSON_FILTER


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("toaddressbookcustomtagfilter", "Base"),
        ("excludecustomtagfilter", "Base:STO;"),
        ("toaddressbooktagfilterjson", [{"tagtype": "Base"}]),
        ("excludetagfilterjson", "not json"),
        ("toaddressbookcustomtagfilter", 5),
    ],
)
def test_malformed_filter_is_reported_on_its_field(field: str, value: Any) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, **{field: value})).field == field


def test_filter_problem_names_the_offending_part() -> None:
    problem = only_problem(
        StartJobRequest(jobid=JOB_ID, toaddressbookcustomtagfilter="Base:STO;On call")
    )

    assert "'On call'" in str(problem)


@pytest.mark.parametrize(
    ("string_field", "json_field"),
    [
        ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson"),
        ("excludecustomtagfilter", "excludetagfilterjson"),
    ],
)
def test_string_and_json_form_of_the_same_filter_together_are_refused(
    string_field: str, json_field: str
) -> None:
    request = StartJobRequest(
        jobid=JOB_ID, **{string_field: "Role:Surgeon", json_field: JSON_FILTER}
    )

    problem = only_problem(request)

    assert problem.field == json_field
    assert label(string_field) in str(problem)


# -- rules of the generic job types (2.2.2, F7, F8) -----------------------------------------


def test_gmm_refuses_a_non_blank_assigned_message() -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, assignedmessage="Du är vald"), GMM)

    assert problem.field == "assignedmessage"


@pytest.mark.parametrize("blank", ["", "  "])
def test_gmm_accepts_a_blank_assigned_message(blank: str) -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, assignedmessage=blank), GMM) == []


def test_gma_accepts_an_assigned_message_and_refuses_a_blank_one() -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, assignedmessage="Du är vald"), GMA) == []
    assert only_problem(StartJobRequest(jobid=JOB_ID, assignedmessage=" "), GMA).field == (
        "assignedmessage"
    )


GMM_ONLY = [
    ("tonumbers", ["+46701234567"]),
    ("toaddressbooksavedtagfilters", ["Xmas2022"]),
    ("toaddressbookgroups", ["Oslo, night shift"]),
    ("excludenumbers", ["+46701234567"]),
    ("excludecustomtagfilter", "Role:Trainee"),
    ("excludetagfilterjson", JSON_FILTER),
    ("tokeep", True),
]


@pytest.mark.parametrize(("field", "value"), GMM_ONLY, ids=[f for f, _ in GMM_ONLY])
def test_gma_refuses_each_gmm_only_field(field: str, value: Any) -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, **{field: value}), GMA)

    assert problem.field == field
    assert "GMM" in str(problem)


@pytest.mark.parametrize(("field", "value"), GMM_ONLY, ids=[f for f, _ in GMM_ONLY])
def test_gmm_accepts_each_gmm_only_field(field: str, value: Any) -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, **{field: value}), GMM) == []


@pytest.mark.parametrize(
    "new_filter",
    [
        {"toaddressbookcustomtagfilter": "Role:Surgeon;OnCall:Yes"},
        {"toaddressbooktagfilterjson": JSON_FILTER},
    ],
    ids=["string", "json"],
)
def test_gma_new_filter_without_response_goal_is_refused(new_filter: dict[str, Any]) -> None:
    assert only_problem(StartJobRequest(jobid=JOB_ID, **new_filter), GMA).field == "responsegoal"


def test_gma_response_goal_without_new_filter_is_refused() -> None:
    problem = only_problem(StartJobRequest(jobid=JOB_ID, responsegoal=2), GMA)

    assert problem.field == "toaddressbookcustomtagfilter"
    assert "response goal" in str(problem)


@pytest.mark.parametrize(
    "new_filter",
    [
        {"toaddressbookcustomtagfilter": "Role:Surgeon;OnCall:Yes"},
        {"toaddressbooktagfilterjson": JSON_FILTER},
    ],
    ids=["string", "json"],
)
def test_gma_new_filter_with_response_goal_is_accepted(new_filter: dict[str, Any]) -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, responsegoal=2, **new_filter), GMA) == []


def test_gmm_accepts_a_response_goal_alone() -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, responsegoal=2), GMM) == []


def test_unknown_generic_type_applies_no_type_rules() -> None:
    request = StartJobRequest(
        jobid=JOB_ID,
        assignedmessage="Du är vald",
        tonumbers=["+46701234567"],
        tokeep=True,
        responsegoal=2,
    )

    assert problems_of(request, None) == []


# -- the whole request ----------------------------------------------------------------------


def test_find_problems_reports_every_problem() -> None:
    request = StartJobRequest(
        jobid=0,
        jobname="",
        responsegoal=0,
        tokeep=True,
        scheduledstart=datetime(2030, 2, 14, 17, 0),
    )

    problems = problems_of(request, GMA)

    assert [p.field for p in problems] == [
        "jobid",
        "jobname",
        "responsegoal",
        "scheduledstart",
        "tokeep",
        "toaddressbookcustomtagfilter",
    ]
    for problem in problems:
        assert_names_its_field(problem)


def test_validate_raises_the_first_problem() -> None:
    with pytest.raises(ValidationError) as info:
        params_of(StartJobRequest(jobid=0, jobname=""))

    assert info.value.field == "jobid"


def test_unset_and_empty_list_fields_are_left_out() -> None:
    request = StartJobRequest(
        jobid=JOB_ID, tonumbers=[], toaddressbookgroups=[], excludetagfilterjson=[]
    )

    assert params_of(request) == {"jobid": JOB_ID}


def test_find_problems_returns_the_valid_params_beside_the_problems() -> None:
    params, problems = find_problems(
        StartJobRequest(jobid=JOB_ID, jobname="Xmas bash", responsegoal=0), now=NOW
    )

    assert params == {"jobid": JOB_ID, "jobname": "Xmas bash"}
    assert [p.field for p in problems] == ["responsegoal"]


def test_validation_error_is_also_a_value_error_and_a_dispatch_error() -> None:
    with pytest.raises(ValueError) as info:  # noqa: PT011 - the type itself is under test
        params_of(StartJobRequest(jobid=0))

    assert isinstance(info.value, ValidationError)
    assert isinstance(info.value, DispatchError)


# -- characters the server would misread (issue 7 §2, docs/input-rules.md) ------------------

ZWSP = "\u200b"
TEXT_FIELDS = ["jobname", "message", "assignedmessage"]


def shaped(field: str, text: str) -> Any:
    """``text`` as the value of ``field``: a list for names and numbers, a part of a JSON
    filter for the JSON fields, else the text itself."""
    if field in ("tonumbers", "excludenumbers", "toaddressbooksavedtagfilters"):
        return [text]
    if field == "toaddressbookgroups":
        return ["Management team", text]
    if field.endswith("tagfilterjson"):
        return [{"tagtype": "On call", "tagvalues": [text]}]
    return text


# Per field: a valid value whose every character is checked as given.
VALID_TEXT = {
    "jobname": "Xmas bash",
    "message": "Hej på er!\nKom kl 18.",
    "assignedmessage": "Du är vald",
    "tonumbers": "+46701234567",
    "excludenumbers": "0701234567",
    "toaddressbookcustomtagfilter": "Base:STO|OSL",
    "excludecustomtagfilter": "On call:Yes",
    "toaddressbooktagfilterjson": "Yes",
    "excludetagfilterjson": "Yes",
    "toaddressbooksavedtagfilters": "Stockholm on call",
    "toaddressbookgroups": "Oslo, night shift",
}


def problem_on(field: str, text: str) -> ValidationError:
    problems = [
        p
        for p in problems_of(StartJobRequest(jobid=JOB_ID, **{field: shaped(field, text)}))
        if p.field == field
    ]
    assert problems, f"{field}: {text!r} was accepted"
    return problems[0]


@pytest.mark.parametrize("field", sorted(VALID_TEXT))
def test_valid_values_of_every_text_field_are_accepted(field: str) -> None:
    assert (
        problems_of(StartJobRequest(jobid=JOB_ID, **{field: shaped(field, VALID_TEXT[field])}))
        == []
    )


@pytest.mark.parametrize("field", sorted(VALID_TEXT))
def test_zero_width_space_is_refused_in_every_text_field_by_name_and_position(field: str) -> None:
    text = VALID_TEXT[field]
    problem = problem_on(field, text[:3] + ZWSP + text[3:])

    message = str(problem)
    assert_names_its_field(problem)
    assert "ZERO WIDTH SPACE (U+200B)" in message
    assert "at position 4" in message
    assert ZWSP not in message


def test_exclusion_message_names_the_field_in_the_users_words() -> None:
    problem = problem_on("excludecustomtagfilter", "On call:Yes" + ZWSP)

    assert str(problem).startswith("Recipients to exclude (tag filter): ")
    assert "ZERO WIDTH SPACE (U+200B), an invisible formatting character, at position 12" in str(
        problem
    )


@pytest.mark.parametrize("field", ["message", "assignedmessage"])
@pytest.mark.parametrize("text", ["Line one\nLine two", "Line one\r\nLine two\r\n", "\nKom!\n"])
def test_messages_keep_their_line_breaks_unchanged(field: str, text: str) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, **{field: text}))[field] == text


@pytest.mark.parametrize("field", ["message", "assignedmessage"])
@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("Line one\rLine two", "CARRIAGE RETURN (U+000D)", id="lone-cr"),
        pytest.param("Line one\n\rLine two", "CARRIAGE RETURN (U+000D)", id="lf-cr"),
        pytest.param("Col 1\tCol 2", "TAB (U+0009)", id="tab"),
        pytest.param("Line one\u2028Line two", "LINE SEPARATOR (U+2028)", id="line-separator"),
        pytest.param("Para\u2029Para", "PARAGRAPH SEPARATOR (U+2029)", id="paragraph-separator"),
        pytest.param("Next\x85line", "NEXT LINE (U+0085)", id="next-line"),
        pytest.param("Do \u202eemoc ton", "RIGHT-TO-LEFT OVERRIDE (U+202E)", id="bidi-override"),
        pytest.param("Bell\x07", "U+0007", id="bell"),
    ],
)
def test_messages_refuse_other_line_breaks_and_controls(field: str, text: str, named: str) -> None:
    problem = problem_on(field, text)

    assert named in str(problem)
    assert str(problem).startswith(label(field))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("Xmas\nbash", "LINE FEED (U+000A)", id="line-feed"),
        pytest.param("Xmas bash\r\n", "CARRIAGE RETURN (U+000D)", id="crlf"),
        pytest.param("Xmas\u2028bash", "LINE SEPARATOR (U+2028)", id="line-separator"),
        pytest.param("\ufeffXmas bash", "ZERO WIDTH NO-BREAK SPACE (U+FEFF)", id="bom"),
        pytest.param("Xmas\u00adbash", "SOFT HYPHEN (U+00AD)", id="soft-hyphen"),
        pytest.param("Xmas \u2067bash\u2069", "RIGHT-TO-LEFT ISOLATE (U+2067)", id="isolate"),
        pytest.param("Xmas \ud83d bash", "U+D83D", id="lone-surrogate"),
        pytest.param("Xmas \ufdd0", "U+FDD0", id="noncharacter"),
    ],
)
def test_job_name_is_one_line_of_visible_characters(text: str, named: str) -> None:
    problem = problem_on("jobname", text)

    assert named in str(problem)
    assert str(problem).startswith("Job name: ")


def test_a_blank_assigned_message_of_a_gmm_job_may_not_hide_a_control_character() -> None:
    assert problems_of(StartJobRequest(jobid=JOB_ID, assignedmessage=" "), GMM) == []
    problem = only_problem(StartJobRequest(jobid=JOB_ID, assignedmessage="\t"), GMM)

    assert "TAB (U+0009)" in str(problem)


def test_lone_surrogate_in_a_job_name_is_refused_before_sending() -> None:
    with pytest.raises(ValidationError) as info:
        params_of(StartJobRequest(jobid=JOB_ID, jobname="Alarm \ud800"))

    assert info.value.field == "jobname"
    assert "U+D800" in str(info.value)
    str(info.value).encode("utf-8")  # the message itself can be shown, logged and journaled


def test_emoji_and_combining_marks_in_a_message_are_accepted() -> None:
    text = "Kom nu 🚑 – café (e\u0301)!"

    assert params_of(StartJobRequest(jobid=JOB_ID, message=text))["message"] == text


# -- properties ------------------------------------------------------------------------------

FORBIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
]
forbidden = st.one_of(
    st.characters(categories=FORBIDDEN_CATEGORIES), st.sampled_from(NONCHARACTERS)
)


@settings(max_examples=300)
@given(st.sampled_from(sorted(VALID_TEXT)), forbidden, st.data())
def test_any_value_with_a_forbidden_character_is_refused_naming_field_and_character(
    field: str, character: str, data: st.DataObject
) -> None:
    text = VALID_TEXT[field]
    at = data.draw(st.integers(0, len(text)))
    tampered = text[:at] + character + text[at:]
    if field in ("message", "assignedmessage"):
        # A message may keep line breaks: LF, and CR directly before LF.
        assume(character != "\n" and tampered[at : at + 2] != "\r\n")

    problem = problem_on(field, tampered)

    assert_names_its_field(problem)
    assert f"U+{ord(character):04X}" in str(problem)
    assert f"at position {at + 1}" in str(problem)
    assert character not in str(problem)


allowed_text = st.text(
    st.characters(exclude_categories=FORBIDDEN_CATEGORIES).filter(lambda c: c not in NONCHARACTERS),
    min_size=1,
    max_size=40,
).filter(str.strip)


@settings(max_examples=200)
@given(st.sampled_from(["jobname", "message", "assignedmessage"]), allowed_text)
def test_any_text_of_allowed_characters_is_sent_unchanged(field: str, text: str) -> None:
    assert params_of(StartJobRequest(jobid=JOB_ID, **{field: text}))[field] == text


# -- sign-in fields that reach the wire ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://secure.lekab.com/dispatch/api\u200b",
        "https://secure.lekab.com/dis\npatch/api",
        "https://secure\t.lekab.com/dispatch/api",
    ],
)
def test_server_address_with_an_invisible_or_control_character_is_refused(url: str) -> None:
    # urlsplit drops tabs and line breaks inside an address without a word.
    with pytest.raises(ValidationError, match=r"Server address: .*U\+") as info:
        check_server_url(url)

    assert info.value.field == "server"


def test_username_with_a_zero_width_space_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match=re.escape("ZERO WIDTH SPACE (U+200B)")) as info:
        check_credentials(Credentials("alice" + ZWSP, "secret"), AuthMethod.FIELDS)

    assert info.value.field == "username"


@pytest.mark.parametrize("password", ["pass\nword", "pass\ud800word"])
def test_unsendable_password_is_refused_without_telling_anything_about_it(password: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_credentials(Credentials("alice", password), AuthMethod.FIELDS)

    assert info.value.field == "password"
    assert "position" not in str(info.value)
    assert "U+" not in str(info.value)


def test_password_may_hold_any_visible_or_invisible_character_the_user_chose() -> None:
    # The server compares a password, it does not read it.
    check_credentials(Credentials("alice", "pa" + ZWSP + "ss\u00a0wörd"), AuthMethod.FIELDS)


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u3000"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("excludecustomtagfilter", "On{}call:Yes"),
        ("toaddressbookcustomtagfilter", "Base:STO|OSL;Role:Crew{}chief"),
        ("toaddressbooksavedtagfilters", ["Stockholm{}on call"]),
        ("toaddressbookgroups", ["Oslo,{}night shift"]),
    ],
)
def test_a_look_alike_space_in_a_name_is_refused(field: str, value: object, space: str) -> None:
    """A no-break space looks like a space and matches nobody: an exclusion would exclude
    nobody (the zero-width space case of issue 7 with a visible-looking character)."""
    given = value.format(space) if isinstance(value, str) else [v.format(space) for v in value]
    request = StartJobRequest(jobid=352872112744058883, **{field: given})

    with pytest.raises(ValidationError) as info:
        validate_start_request(request, GenericType.GMM)

    assert "not an ordinary space" in str(info.value)
    assert f"U+{ord(space):04X}" in str(info.value)
    assert info.value.field == field


def test_a_no_break_space_in_a_message_is_kept() -> None:
    request = StartJobRequest(jobid=352872112744058883, message="Rendez-vous à 10\u00a0h")
    assert validate_start_request(request, GenericType.GMM)["message"].endswith("10\u00a0h")
