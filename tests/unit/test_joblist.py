"""The saved-jobs list's precompute (no Qt): search texts, orders, type and view restrictions,
and a selection that filters incrementally, checked against the plain per-row rules the list
followed before (a search in the name, type or id; sort keys; ids as ints, F1)."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Collection, Sequence
from typing import Any

import pytest

from dispatch_desktop.api import SavedJob
from dispatch_desktop.joblist import SEPARATOR, Column, JobList, Ordering, Selection, search_needle

BIG = 2**53  # float(BIG + 1) == float(BIG): only exact ints tell these apart (F1)
TYPES = ("QuickAssign", "MonitoredMessage", "SurveyMessage", "Bemanningsförfrågan", "quickassign")
WORDS = ("Oslo", "ÖVNING", "larm", "Straße", "night", "Shift", "ambulans", "Göteborg", "x", "")


def job(job_id: int, name: str, job_type: str = "Sms") -> SavedJob:
    return SavedJob(job_id, name, job_type)


def names(jobs: JobList, rows: Sequence[int]) -> list[str]:
    return [jobs.names[row] for row in rows]


def random_jobs(rng: random.Random, count: int) -> list[SavedJob]:
    """Jobs with repeated names, types differing in case only, ids around 2^53 and small."""
    jobs = []
    for _ in range(count):
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4))).strip()
        job_id = rng.choice((BIG, 10**18, 7)) + rng.randrange(0, 5000)
        jobs.append(job(job_id, name, rng.choice(TYPES)))
    return jobs


# -- the rules the list followed before, one row at a time ------------------------------------


def matches(saved: SavedJob, text: str) -> bool:
    needle = text.strip().casefold()
    return any(
        needle in field for field in (saved.name.casefold(), saved.type.casefold(), str(saved.id))
    )


def reference(
    jobs: list[SavedJob],
    *,
    key: Callable[[int], Any],
    descending: bool = False,
    job_type: str | None = None,
    only: Collection[int] | None = None,
    text: str = "",
) -> list[int]:
    rows = sorted(range(len(jobs)), key=key)
    if descending:
        rows.reverse()
    return [
        row
        for row in rows
        if (job_type is None or jobs[row].type == job_type)
        and (only is None or row in only)
        and matches(jobs[row], text)
    ]


# -- search -----------------------------------------------------------------------------------


def test_search_finds_name_type_or_id_ignoring_case_and_blanks() -> None:
    jobs = JobList(
        [
            job(BIG + 1, "Straße Alarm", "QuickAssign"),
            job(352872112744058883, "Office Party", "MonitoredMessage"),
            job(9, "Övning Göteborg", "SurveyMessage"),
        ]
    )
    found = {
        text: names(jobs, jobs.matching(jobs.by_name, search_needle(text)).rows)
        for text in ("  STRASSE ", "monitored", str(BIG + 1), "4405888", "övning", "alarm")
    }
    assert found == {
        "  STRASSE ": ["Straße Alarm"],  # casefolded: ß is ss
        "monitored": ["Office Party"],
        str(BIG + 1): ["Straße Alarm"],  # the exact id, not 9007199254740992 (F1)
        "4405888": ["Office Party"],  # any part of an id
        "övning": ["Övning Göteborg"],
        "alarm": ["Straße Alarm"],
    }
    assert jobs.matching(jobs.by_name, "").rows == jobs.by_name.rows


def test_a_search_never_matches_across_fields() -> None:
    jobs = JobList([job(12, "Oslo", "Alert"), job(13, f"Null{SEPARATOR}byte", "Odd")])
    for needle in ("osloalert", "oslo alert", "alert12", f"oslo{SEPARATOR}alert"):
        assert jobs.matching(jobs.by_name, needle).rows == ()
    assert jobs.matching(jobs.by_name, "lo").rows == (0,)
    # A needle holding the separator (a pasted NUL) is looked for in each field.
    assert jobs.matching(jobs.by_name, f"l{SEPARATOR}b").rows == (1,)
    assert jobs.matching(jobs.by_name, f"null{SEPARATOR}").rows == (1,)
    assert jobs.matching(jobs.by_name, f"byte{SEPARATOR}odd").rows == ()


# -- orders -----------------------------------------------------------------------------------


def test_ids_sort_as_exact_ints() -> None:
    ids = [BIG + 1, 10, BIG, 9, 2**63 - 1, BIG + 3]
    jobs = JobList([job(job_id, f"job {job_id}") for job_id in ids])
    assert [jobs.ids[row] for row in jobs.by_id.rows] == sorted(ids)  # 9 before 10
    assert [jobs.ids[row] for row in jobs.by_id.reversed().rows] == sorted(ids, reverse=True)
    assert str(2**63 - 1) in jobs.longest_ids


def test_names_sort_casefolded_and_types_by_name_within() -> None:
    jobs = JobList(
        [
            job(1, "beta", "MultiAssign"),
            job(2, "Alpha", "QuickAssign"),
            job(3, "alpha", "MultiAssign"),  # equal casefolded names keep the load order
            job(4, "Gamma", "MultiAssign"),
        ]
    )
    assert names(jobs, jobs.by_name.rows) == ["Alpha", "alpha", "beta", "Gamma"]
    assert names(jobs, jobs.by_type.rows) == ["alpha", "beta", "Gamma", "Alpha"]
    assert jobs.types == ["MultiAssign", "QuickAssign"]


def test_generic_type_order_groups_types_by_their_label() -> None:
    jobs = JobList(
        [
            job(1, "b", "Survey"),
            job(2, "a", "QuickAssign"),
            job(3, "c", "MonitoredMessage"),
            job(4, "d", "MultiAssign"),
            job(5, "a", "Survey"),
        ]
    )
    labels = {"Survey": "unknown", "MonitoredMessage": "GMM"}
    ordering = jobs.by_generic(lambda job_type: labels.get(job_type, "GMA"))
    assert [(jobs.row_types[row], jobs.names[row]) for row in ordering.rows] == [
        ("MultiAssign", "d"),  # GMA: by type, then by name
        ("QuickAssign", "a"),
        ("MonitoredMessage", "c"),  # GMM
        ("Survey", "a"),  # unknown
        ("Survey", "b"),
    ]
    assert jobs.matching(ordering, "survey").rows == (4, 0)  # its search texts follow its rows


def test_favourites_first_then_the_others_by_name() -> None:
    jobs = JobList([job(1, "d"), job(2, "c"), job(3, "b"), job(4, "a")])
    starred = jobs.rows_with_ids({1, 3})
    assert names(jobs, jobs.favourites_first(starred).rows) == ["b", "d", "a", "c"]


def test_by_launch_puts_the_newest_launch_last_ascending() -> None:
    jobs = JobList([job(1, "d"), job(2, "c"), job(3, "b"), job(4, "a")])
    ranks = {jobs.row_of(2): 0, jobs.row_of(4): 1}  # job 2 launched last
    ordering = jobs.by_launch(ranks)
    assert names(jobs, ordering.rows) == ["b", "d", "a", "c"]
    assert names(jobs, ordering.reversed().rows)[:2] == ["c", "a"]
    assert jobs.matching(ordering, "a").rows == (jobs.row_of(4),)


def test_rows_of_ids_listed_twice() -> None:
    jobs = JobList([job(5, "first"), job(6, "other"), job(5, "copy")])
    assert jobs.rows_with_ids({5}) == {0, 2}
    assert jobs.rows_with_ids({7}) == set()
    assert jobs.row_of(5) == 0
    assert jobs.row_of(7) is None


def test_an_empty_list() -> None:
    jobs = JobList()
    assert len(jobs) == 0
    assert jobs.by_name == Ordering((), ())
    assert jobs.longest_ids == []
    assert Selection(jobs).rows == ()


# -- restrictions and the selection -------------------------------------------------------------


def test_type_filter_compares_exactly() -> None:
    jobs = JobList([job(1, "a", "QuickAssign"), job(2, "b", "quickassign")])
    assert jobs.restricted(jobs.by_name, "QuickAssign", None).rows == (0,)
    assert jobs.restricted(jobs.by_name, None, {1}).rows == (1,)
    assert jobs.restricted(jobs.by_name, "QuickAssign", {1}).rows == ()


@pytest.mark.parametrize("seed", range(6))
def test_a_selection_shows_what_the_per_row_rules_would(seed: int) -> None:
    """Random steps (typing, deleting, sorting, filtering, views) on 600 random jobs; after
    each, the rows are exactly those of the old per-row filter and sort keys."""
    rng = random.Random(seed)
    saved = random_jobs(rng, 600)
    jobs = JobList(saved)
    selection = Selection(jobs)
    starred = jobs.rows_with_ids({saved[i].id for i in rng.sample(range(600), 40)})
    orderings: dict[Column, tuple[Ordering, Callable[[int], Any]]] = {
        Column.NAME: (jobs.by_name, lambda row: saved[row].name.casefold()),
        Column.TYPE: (
            jobs.by_type,
            lambda row: (jobs.types.index(saved[row].type), saved[row].name.casefold()),
        ),
        Column.ID: (jobs.by_id, lambda row: saved[row].id),
        Column.FAVOURITE: (
            jobs.favourites_first(starred),
            lambda row: (row not in starred, saved[row].name.casefold()),
        ),
    }
    state: dict[str, Any] = {"column": Column.NAME, "descending": False, "type": None}
    state.update(only=None, text="")
    for _ in range(60):
        step = rng.choice(("type", "type", "delete", "clear", "sort", "filter", "view"))
        if step == "type":
            state["text"] += rng.choice("aeoölnsß 1290")
        elif step == "delete":
            state["text"] = state["text"][:-1]
        elif step == "clear":
            state["text"] = ""
        elif step == "sort":
            state["column"] = rng.choice(list(orderings))
            state["descending"] = rng.random() < 0.5
            ordering = orderings[state["column"]][0]
            selection.sort(ordering.reversed() if state["descending"] else ordering)
        elif step == "filter":
            state["type"] = rng.choice((None, *TYPES))
        else:
            state["only"] = rng.choice((None, starred, set(rng.sample(range(600), 100))))
        if step in ("filter", "view"):
            selection.restrict(state["type"], state["only"])
        selection.search(state["text"])
        expected = reference(
            saved,
            key=orderings[state["column"]][1],
            descending=state["descending"],
            job_type=state["type"],
            only=state["only"],
            text=state["text"],
        )
        if state["column"] is Column.ID:
            assert list(selection.rows) == expected  # ids are unique keys: the very same order
        else:  # equal keys may come in another order
            assert [orderings[state["column"]][1](row) for row in selection.rows] == [
                orderings[state["column"]][1](row) for row in expected
            ]
            assert sorted(selection.rows) == sorted(expected)


def test_a_growing_search_narrows_and_a_shorter_one_widens() -> None:
    jobs = JobList([job(1, "Oslo alarm"), job(2, "Oslo drill"), job(3, "Bergen alarm")])
    selection = Selection(jobs)
    shown = []
    for text in ("a", "al", "ala", "alarm o", "ala", ""):
        selection.search(text)
        shown.append(names(jobs, selection.rows))
    assert shown == [
        ["Bergen alarm", "Oslo alarm"],
        ["Bergen alarm", "Oslo alarm"],
        ["Bergen alarm", "Oslo alarm"],
        [],
        ["Bergen alarm", "Oslo alarm"],
        ["Bergen alarm", "Oslo alarm", "Oslo drill"],
    ]


def test_the_columns_are_left_alone_by_the_garbage_collector() -> None:
    """Tuples of ints and strings only: once the collector has seen them it no longer walks
    them, so a long list adds nothing to the pause of a full collection."""
    jobs = JobList([job(BIG + 2 * n + 1, f"job {n}", TYPES[n % 5]) for n in range(1000)])
    gc.collect()
    orderings = (jobs.by_name, jobs.by_type, jobs.by_id)
    columns = [jobs.ids, jobs.names, jobs.row_types]
    columns += [ordering.rows for ordering in orderings]
    columns += [ordering.haystacks for ordering in orderings]
    assert [gc.is_tracked(column) for column in columns] == [False] * len(columns)
    assert jobs.job(7) == job(BIG + 15, "job 7", TYPES[2])
