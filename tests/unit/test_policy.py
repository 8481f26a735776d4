"""The administrator's policy (policy.py): every key read and checked, a typo stops the app,
PINs only as salted hashes, a loose API key file refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dispatch_desktop.api.models import AuthMethod
from dispatch_desktop.policy import (
    NO_POLICY,
    POLICY_ENV,
    SYSTEM_POLICY,
    PolicyError,
    check_pin,
    hash_pin,
    load_policy,
    parse_policy,
    policy_path,
    read_api_key_file,
)

SOURCE = Path("/etc/xdg/dispatch-desktop/policy.ini")
BIG = 352872112744058883
FULL = f"""
[policy]
server = https://secure.lekab.com/dispatch/api
auth = api-key-header
http_method = post
allowed_jobs = {BIG}, 7
hide_settings = true
kiosk = yes
data_dir = /var/lib/dispatch-kiosk
api_key_file = /etc/dispatch-desktop/api-key
auto_sign_in = true
undo_seconds = 8
exercise_only = false
language = sv
monitor_mode = follow
monitor_bind = 127.0.0.1
monitor_port = 8765
follow_url = https://receiver.example.com
notifications = false
event_retention_days = 30

[job {BIG}]
label = Fire alarm, building B
message = Brand i hus B.
  Samling vid porten.
tagfilter = Base:STO;On call:Yes
responsegoal = 5
exercise = false
pins = {hash_pin("4711", salt=bytes(16))}
"""


def test_a_full_policy_is_read_with_exact_ids() -> None:
    policy = parse_policy(FULL, SOURCE)

    assert policy.server == "https://secure.lekab.com/dispatch/api"
    assert policy.auth is AuthMethod.API_KEY_HEADER
    assert policy.http_method == "POST"
    assert policy.allowed_jobs == {BIG, 7}
    assert (policy.kiosk, policy.hide_settings, policy.auto_sign_in) == (True, True, True)
    assert policy.exercise_only is False
    assert policy.sets("exercise_only")
    assert not parse_policy("[policy]\nkiosk = true\n", SOURCE).sets("server")
    assert (policy.undo_seconds, policy.language, policy.monitor_port) == (8, "sv", 8765)
    preset = policy.jobs[BIG]
    assert preset.message == "Brand i hus B.\nSamling vid porten."
    assert str(preset.tagfilter) == "Base:STO;On call:Yes"
    assert preset.needs_second_pin
    assert policy.allows(BIG)
    assert not policy.allows(BIG + 1)  # the next id, which a float could not tell apart


def test_no_policy_file_means_no_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POLICY_ENV, raising=False)
    assert policy_path() == SYSTEM_POLICY
    if not SYSTEM_POLICY.exists():
        assert load_policy() is NO_POLICY
    assert NO_POLICY.allows(BIG)
    assert not NO_POLICY.sets("kiosk")


def test_a_policy_named_by_the_environment_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(POLICY_ENV, str(tmp_path / "missing.ini"))
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy()
    (tmp_path / "policy.ini").write_text("[policy]\nkiosk = true\n")
    monkeypatch.setenv(POLICY_ENV, str(tmp_path / "policy.ini"))
    assert load_policy().kiosk is True


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[policy]\nkisok = true\n", "unknown key 'kisok' in [policy] (did you mean kiosk?)"),
        ("[policy]\nkiosk = maybe\n", "kiosk must be true or false"),
        ("[policy]\nundo_seconds = 11\n", "undo_seconds must be a whole number from 0 to 10"),
        ("[policy]\nundo_seconds = ²\n", "undo_seconds must be a whole number"),
        ("[policy]\nallowed_jobs = 1, 2.5e17\n", "allowed_jobs must be a saved-job id"),
        ("[policy]\nallowed_jobs = 1,,2\n", "allowed_jobs must list saved-job ids"),
        ("[policy]\nallowed_jobs = 9223372036854775808\n", "allowed_jobs must be a saved-job"),
        ("[policy]\nserver = http://dispatch.example.com/api\n", "server is not usable"),
        ("[policy]\nauth = password\n", "auth must be one of fields, basic"),
        ("[policy]\nlanguage = de\n", "language must be one of en, sv"),
        ("[policy]\ndata_dir = relative/dir\n", "data_dir must be an absolute path"),
        ("[policy]\nfollow_url = http://receiver.example.com\n", "follow_url is not usable"),
        ("[policy]\nmonitor_bind = 127.0.0.1\u200b\n", "ZERO WIDTH SPACE"),
        ("[policy]\nkiosk = true\nkiosk = false\n", "not a valid INI file"),
        ("kiosk = true\n", "not a valid INI file"),
        ("[settings]\nkiosk = true\n", "only [policy] and [job <saved-job id>]"),
        ("[job 12x]\nlabel = A\n", "must be a saved-job id"),
        ("[job 7]\nmesage = A\n", "unknown key 'mesage' in [job 7] (did you mean message?)"),
        ("[job 7]\ntagfilter = Base\n", "is not a tag filter"),
        ("[job 7]\npins = 4711\n", "never a PIN in clear"),
        ("[policy]\nallowed_jobs = 1\n[job 7]\nlabel = A\n", "allowed_jobs does not list it"),
        ("[policy]\nauto_sign_in = true\n", "auto_sign_in needs both server and api_key_file"),
        (
            "[policy]\nauth = basic\napi_key_file = /etc/k\n",
            "api_key_file needs an API-key auth method",
        ),
    ],
)
def test_a_bad_policy_stops_the_app_with_the_key_and_the_rule(text: str, problem: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, SOURCE)
    assert problem in str(info.value)
    assert str(SOURCE) in str(info.value)


def test_an_unreadable_or_huge_policy_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "binary.ini"
    binary.write_bytes(b"[policy]\nkiosk = \xff\n")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(binary)
    huge = tmp_path / "huge.ini"
    huge.write_text("[policy]\n" + "#" * 300_000)
    with pytest.raises(PolicyError, match="larger than"):
        load_policy(huge)


def test_pins_are_salted_hashes_checked_in_constant_time() -> None:
    first, second = hash_pin("4711"), hash_pin("4711")
    assert first != second  # salted
    assert "4711" not in first
    assert check_pin("4711", (first,))
    assert check_pin("0000", (hash_pin("0000"), first))
    assert not check_pin("4712", (first, second))
    assert not check_pin("4711", ())


def key_file(tmp_path: Path, mode: int, content: str = "AK_0123456789abcdef\n") -> Path:
    path = tmp_path / "api-key"
    path.write_text(content)
    path.chmod(mode)
    return path


@pytest.mark.skipif(os.geteuid() != 0, reason="a file owned by root needs root to make")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o400, 0o440])
def test_a_key_file_owned_by_root_and_closed_to_others_is_read(tmp_path: Path, mode: int) -> None:
    assert read_api_key_file(key_file(tmp_path, mode)) == "AK_0123456789abcdef"


@pytest.mark.skipif(os.geteuid() != 0, reason="a file owned by root needs root to make")
@pytest.mark.parametrize("mode", [0o644, 0o604, 0o660, 0o666, 0o602])
def test_a_loose_key_file_is_refused_without_showing_the_key(tmp_path: Path, mode: int) -> None:
    with pytest.raises(PolicyError) as info:
        read_api_key_file(key_file(tmp_path, mode))
    assert "lets others read or change it" in str(info.value)
    assert "AK_0123456789abcdef" not in str(info.value)


def test_a_key_file_not_owned_by_root_is_refused(tmp_path: Path) -> None:
    path = key_file(tmp_path, 0o600)
    if os.geteuid() == 0:
        os.chown(path, 1000, 1000)
    with pytest.raises(PolicyError, match="not owned by root"):
        read_api_key_file(path)


@pytest.mark.skipif(os.geteuid() != 0, reason="a file owned by root needs root to make")
def test_a_key_file_that_is_a_link_or_holds_two_lines_is_refused(tmp_path: Path) -> None:
    target = key_file(tmp_path, 0o600)
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(PolicyError, match="not a regular file"):
        read_api_key_file(link)
    with pytest.raises(PolicyError, match="one API key on one line"):
        read_api_key_file(key_file(tmp_path, 0o600, "AK_1 AK_2\n"))


def test_the_documented_example_is_a_valid_policy() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "policy.md").read_text("utf-8")
    example = doc.split("## An example", 1)[1].split("```ini\n", 1)[1].split("```", 1)[0]
    policy = parse_policy(example, SOURCE)
    assert policy.kiosk is True
    assert set(policy.jobs) <= set(policy.allowed_jobs or ())


def test_every_key_is_documented_in_the_readme_and_in_docs() -> None:
    """Administrators read the README first: every key of the policy is named there, and
    described in docs/policy.md."""
    from dispatch_desktop.policy import JOB_KEYS, POLICY_KEYS

    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text("utf-8").split("## Policy", 1)[1].split("\n## ", 1)[0]
    doc = (root / "docs" / "policy.md").read_text("utf-8")
    for key in (*POLICY_KEYS, *JOB_KEYS):
        assert f"`{key}`" in readme, key
        assert f"`{key}`" in doc, key
