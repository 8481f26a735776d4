"""Checks of a start request before anything is sent (reference 2.2.1, 2.2.2, F1, F7–F10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dispatch_desktop.api import (
    DispatchError,
    GenericType,
    StartJobRequest,
    TagFilter,
    ValidationError,
)
from dispatch_desktop.api.validation import find_problems, validate_start_request

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
    assert problem.field is not None
    assert f"({problem.field})" in str(problem), "the message must name the field"
    return problem


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
    assert string_field in str(problem)


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
    assert all(f"({p.field})" in str(p) for p in problems)


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
