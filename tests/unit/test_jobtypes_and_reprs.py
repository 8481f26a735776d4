"""Job type mapping (G2), results (F4) and secrets in reprs."""

from __future__ import annotations

import pytest

from dispatch_desktop.api import (
    AuthMethod,
    Credentials,
    DispatchClient,
    GenericType,
    JobTypeMapping,
    StartResult,
)

PASSWORD = "Sup3r-s3cret"
API_KEY = "TUxVOmRHVnpkSFZ6WlhJOjlKUUczTXU2TVZVU1Exd3Y"


@pytest.mark.parametrize(
    ("job_type", "generic"),
    [
        ("QuickAssign", GenericType.GMA),
        ("GroundHandling", GenericType.GMA),
        ("MonitoredMessage", GenericType.GMM),
        ("GenericMonitoredMessage", GenericType.GMM),
        ("GenericMultiAssign", GenericType.GMA),
        ("SurveyMessage", None),
        ("", None),
    ],
)
def test_default_generic_type_of_a_job_type(job_type: str, generic: GenericType | None) -> None:
    assert JobTypeMapping().generic_type_of(job_type) is generic


def test_override_wins_over_the_default() -> None:
    mapping = JobTypeMapping({"GroundHandling": GenericType.GMM, "SurveyMessage": GenericType.GMA})

    assert mapping.generic_type_of("GroundHandling") is GenericType.GMM
    assert mapping.generic_type_of("SurveyMessage") is GenericType.GMA


def test_override_to_none_makes_a_known_type_unknown() -> None:
    assert JobTypeMapping({"QuickAssign": None}).generic_type_of("QuickAssign") is None


def test_overrides_property_is_a_copy() -> None:
    mapping = JobTypeMapping({"QuickAssign": None})

    mapping.overrides["QuickAssign"] = GenericType.GMM

    assert mapping.generic_type_of("QuickAssign") is None


def test_generic_type_long_names_are_the_reference_names() -> None:
    assert GenericType.GMM.long_name == "GenericMonitoredMessage"
    assert GenericType.GMA.long_name == "GenericMultiAssign"


@pytest.mark.parametrize(("result", "ok"), [("OK", True), ("ERROR", False), ("ok", False)])
def test_only_result_ok_counts_as_started(result: str, ok: bool) -> None:
    assert StartResult(result, 383228819873509376, "Xmas bash", "").ok is ok


def test_credentials_repr_hides_password_and_api_key() -> None:
    shown = repr(Credentials("testuser", PASSWORD, API_KEY))

    assert "testuser" in shown
    assert PASSWORD not in shown
    assert API_KEY not in shown
    assert str(Credentials("testuser", PASSWORD)) == (
        "Credentials(username='testuser', password=<hidden>)"
    )


@pytest.mark.parametrize("auth", list(AuthMethod))
def test_client_repr_hides_password_and_api_key(auth: AuthMethod) -> None:
    client = DispatchClient(
        "https://dispatch.example.com/api", Credentials("testuser", PASSWORD, API_KEY), auth=auth
    )

    shown = repr(client)

    assert "https://dispatch.example.com/api" in shown
    assert PASSWORD not in shown
    assert API_KEY not in shown
