"""The README's promises: its Python examples run, and its two commands exist."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_examples_and_the_two_commands_at_the_top() -> None:
    assert len(EXAMPLES) >= 2
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    assert first_block is not None
    assert "make run" in first_block.group(1)
    assert "make test" in first_block.group(1)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nrun:" in makefile
    assert "\ntest:" in makefile


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_readme_example_runs(number: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(EXAMPLES[number], f"README example {number + 1}", "exec"), {})  # noqa: S102
    assert capsys.readouterr().out


def test_first_run_example_starts_a_job(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "first_run.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "352872112744058883  Office Party" in out
    assert re.search(r"Started 'Xmas bash' with runtime id \d{17,}", out)


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci
