"""The saved jobs prepared for a list of 100,000 rows and more. No Qt: it is built on a worker
thread and tested in plain Python.

Building a :class:`JobList` does once, off the GUI thread, what a search, a filter or a sort
would otherwise do per row on every keystroke: each job's search text (name, type and id,
casefolded), the rows in the order of each sortable column, and beside each order the search
texts allocated in that order (a scan then reads memory front to back, which at 100,000 rows
is several times faster than hopping about). What is left for the GUI thread is a scan whose
loop runs in C (``map`` and ``compress``), never Python code per row.

Every column is a tuple of ints and strings, never of objects the garbage collector follows:
such a tuple is left alone by the collector once it has seen it, so 100,000 jobs add nothing
to the pause of a full collection (with a list of saved-job objects, each full collection
would stall the GUI thread for another 50 ms or more).

Ids stay the exact ints of the saved jobs (F1): they are sorted as ints, and searched as their
decimal text.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains, eq, not_
from typing import Any

from dispatch_desktop.api import SavedJob

SORT_RUN = 4096
"""Rows sorted at once before the runs are merged (see :func:`_sorted`)."""
SEPARATOR = "\x00"
"""Between the fields of a search text. A needle without it cannot match across fields; one
with it (a pasted NUL) is looked for field by field. (A character beyond Latin-1 would do
without that, but would double the size of every search text and halve the scan's speed.)"""


def allowed_only(jobs: list[SavedJob], allowed_jobs: Collection[int] | None) -> list[SavedJob]:
    """The saved jobs the administrator allows (policy.py; all when ``allowed_jobs`` is
    ``None``). Run where the list is prepared, off the GUI thread."""
    if allowed_jobs is None:
        return jobs
    return [job for job in jobs if job.id in allowed_jobs]


class Column(enum.IntEnum):
    """The saved-jobs table's columns, by number; the star and the last launch come after the
    id so that the first four keep their numbers."""

    NAME = 0
    TYPE = 1
    GENERIC = 2
    ID = 3
    FAVOURITE = 4
    LAUNCHED = 5


def search_needle(text: str) -> str:
    """What a search text looks for: without surrounding blanks, casefolded."""
    return text.strip().casefold()


@dataclass(frozen=True)
class Ordering:
    """Rows (indexes into the job list) in one order, each with its search text beside it."""

    rows: tuple[int, ...]
    haystacks: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def keep(self, mask: Iterable[object]) -> Ordering:
        """The rows whose ``mask`` entry is true, in the same order."""
        flags = list(mask)
        return Ordering(tuple(compress(self.rows, flags)), tuple(compress(self.haystacks, flags)))

    def containing(self, needle: str) -> Ordering:
        """The rows whose search text contains ``needle``."""
        return self.keep(map(contains, self.haystacks, repeat(needle))) if needle else self

    def reversed(self) -> Ordering:
        """Back to front: a descending sort is the ascending one read backwards."""
        return Ordering(self.rows[::-1], self.haystacks[::-1])

    def __add__(self, other: Ordering) -> Ordering:
        return Ordering(self.rows + other.rows, self.haystacks + other.haystacks)


def _sorted(rows: Sequence[int], key: Callable[[int], Any]) -> list[int]:
    """``rows`` sorted stably by ``key``, a slice at a time: a sort holds the interpreter
    lock from start to end, and the GUI thread waits for it meanwhile. Sorting runs of
    :data:`SORT_RUN` rows and merging neighbours slice by slice (:func:`_merged`) keeps each
    hold to a millisecond or two at 100,000 rows, where one sort would hold it for 50 ms."""
    runs = [
        sorted(rows[start : start + SORT_RUN], key=key) for start in range(0, len(rows), SORT_RUN)
    ]
    while len(runs) > 1:
        merged = [_merged(runs[i], runs[i + 1], key) for i in range(0, len(runs) - 1, 2)]
        runs = merged + runs[len(merged) * 2 :]
    return runs[0] if runs else []


def _merged(first: list[int], second: list[int], key: Callable[[int], Any]) -> list[int]:
    """Two sorted runs as one, ``first``'s rows before ``second``'s of equal key (stable).
    Each slice of ``first`` is sorted together with the rows of ``second`` whose keys are
    below its last key (those equal to it come with the next slice, after ``first``'s)."""
    merged: list[int] = []
    taken = 0
    for start in range(0, len(first), SORT_RUN):
        piece = first[start : start + SORT_RUN]
        last = start + SORT_RUN >= len(first)
        end = len(second) if last else bisect_left(second, key(piece[-1]), taken, key=key)
        merged += sorted(piece + second[taken:end], key=key)
        taken = end
    return merged


class JobList:
    """Saved jobs, in the order loaded, with everything precomputed that searching, filtering
    and sorting them needs. Immutable once built; build it off the GUI thread."""

    def __init__(self, jobs: Iterable[SavedJob] = ()) -> None:
        ids: list[int] = []
        names: list[str] = []
        types: list[str] = []
        distinct: dict[str, str] = {}  # each type one shared string: compared by identity
        for job in jobs:
            ids.append(job.id)
            names.append(job.name)
            types.append(distinct.setdefault(job.type, job.type))
        self.ids, self.names, self.row_types = tuple(ids), tuple(names), tuple(types)
        self.types: list[str] = sorted(distinct, key=lambda name: (name.casefold(), name))
        """The distinct types, sorted as the type filter lists them."""
        folded = [name.casefold() for name in names]
        by_name = _sorted(range(len(ids)), folded.__getitem__)
        type_rank = {name: rank for rank, name in enumerate(self.types)}
        ranks = [type_rank[job_type] for job_type in types]
        by_type = _sorted(by_name, ranks.__getitem__)  # stable: by name within a type
        self.by_name = self._ordering(by_name)
        self.by_type = self._ordering(by_type)
        # Sorting by id is the rarest: its search texts are those of the name order (the
        # same strings, so 12 MB less at 100,000 jobs), at half the scan speed.
        by_id = _sorted(range(len(ids)), ids.__getitem__)
        haystack_of_row = [""] * len(ids)
        for row, haystack in zip(self.by_name.rows, self.by_name.haystacks, strict=True):
            haystack_of_row[row] = haystack
        # Loops, not map(): a map() in C would hold the interpreter lock throughout.
        self.by_id = Ordering(tuple(by_id), tuple([haystack_of_row[row] for row in by_id]))
        self._type_spans = _spans(by_type, types)
        self._row_of_id: dict[int, int] = {}
        self._more_rows_of_id: dict[int, list[int]] = {}  # ids listed twice (if ever)
        for row, job_id in enumerate(ids):
            if self._row_of_id.setdefault(job_id, row) != row:
                self._more_rows_of_id.setdefault(job_id, []).append(row)
        self.longest_ids = [str(id_) for id_ in {min(ids), max(ids)}] if ids else []
        """The ids whose text is the longest (the smallest and the largest)."""

    def __len__(self) -> int:
        return len(self.ids)

    def matching(self, ordering: Ordering, needle: str) -> Ordering:
        """The rows of ``ordering`` whose name, type or id contains ``needle`` (see
        :func:`search_needle`)."""
        if SEPARATOR not in needle:
            return ordering.containing(needle)
        fields = (self.names, self.row_types, self.ids)
        return ordering.keep(
            any(needle in str(column[row]).casefold() for column in fields) for row in ordering.rows
        )

    def job(self, row: int) -> SavedJob:
        """The saved job in ``row`` (load order)."""
        return SavedJob(self.ids[row], self.names[row], self.row_types[row])

    def _ordering(self, rows: Iterable[int]) -> Ordering:
        """``rows`` with their search texts, both made anew in this order, so that they lie
        in memory in it: a scan in this order (or in a subsequence of it) then reads memory
        front to back, several times faster at 100,000 rows than hopping about."""
        ordered: list[int] = []
        haystacks: list[str] = []
        for row in rows:
            ordered.append(row + 0)  # a new int, next to the one before
            text = f"{self.names[row]}{SEPARATOR}{self.row_types[row]}{SEPARATOR}{self.ids[row]}"
            haystacks.append(text.casefold())
        return Ordering(tuple(ordered), tuple(haystacks))

    def row_of(self, job_id: int) -> int | None:
        """The (first) row of job ``job_id``; ``None`` if it is not listed."""
        return self._row_of_id.get(job_id)

    def rows_with_ids(self, ids: Collection[int]) -> set[int]:
        """The rows whose job id is one of ``ids``."""
        rows = {self._row_of_id[job_id] for job_id in ids if job_id in self._row_of_id}
        for job_id in self._more_rows_of_id.keys() & set(ids):
            rows.update(self._more_rows_of_id[job_id])
        return rows

    def by_generic(self, label_of: Callable[[str], str]) -> Ordering:
        """By the generic type ``label_of`` each type (then by type, then by name): the
        types' blocks of :attr:`by_type` rearranged, so it is cheap after a mapping change."""
        spans = sorted(self._type_spans, key=lambda span: label_of(span[0]).casefold())
        rows: list[int] = []
        haystacks: list[str] = []
        for _job_type, start, end in spans:
            rows += self.by_type.rows[start:end]
            haystacks += self.by_type.haystacks[start:end]
        return Ordering(tuple(rows), tuple(haystacks))

    def favourites_first(self, favourite_rows: Collection[int]) -> Ordering:
        """The starred rows by name, then the others by name."""
        flags = list(map(favourite_rows.__contains__, self.by_name.rows))
        return self.by_name.keep(flags) + self.by_name.keep(map(not_, flags))

    def by_launch(self, launch_rank: Mapping[int, int]) -> Ordering:
        """Ascending by last launch: rows never launched lately (by name), then the launched
        ones from the oldest to the newest (``launch_rank``: row -> 0 for the newest)."""
        others = self.by_name.keep(map(not_, map(launch_rank.__contains__, self.by_name.rows)))
        launched = sorted(launch_rank, key=launch_rank.__getitem__, reverse=True)
        return others + self._ordering(launched)

    def restricted(
        self, ordering: Ordering, job_type: str | None, only: Collection[int] | None
    ) -> Ordering:
        """The rows of ``ordering`` of ``job_type`` (``None``: any) among ``only`` (``None``:
        all rows)."""
        if job_type is not None:
            ordering = ordering.keep(
                map(eq, map(self.row_types.__getitem__, ordering.rows), repeat(job_type))
            )
        if only is not None:
            ordering = ordering.keep(map(only.__contains__, ordering.rows))
        return ordering


def _spans(rows: Sequence[int], row_types: Sequence[str]) -> list[tuple[str, int, int]]:
    """Each type's block in ``rows`` (sorted by type): (type, start, end)."""
    spans: list[tuple[str, int, int]] = []
    start = 0
    for position in range(1, len(rows) + 1):
        if position == len(rows) or row_types[rows[position]] != row_types[rows[start]]:
            spans.append((row_types[rows[start]], start, position))
            start = position
    return spans


class Selection:
    """The rows a list shows, in order: an ordering, restricted to a type and a set of rows
    (a view), then searched. Each stage is kept, so a change recomputes only what follows
    it, and a search that grows (one more letter typed) scans only the rows left by the last
    one."""

    def __init__(self, jobs: JobList) -> None:
        self.jobs = jobs
        self._sorted = jobs.by_name
        self._job_type: str | None = None
        self._only: Collection[int] | None = None
        self._restricted = self._sorted
        self._needle = ""
        self._shown = self._restricted

    @property
    def rows(self) -> tuple[int, ...]:
        """The rows shown, in order (indexes into the job list)."""
        return self._shown.rows

    @property
    def needle(self) -> str:
        """What the search looks for now."""
        return self._needle

    def sort(self, ordering: Ordering) -> None:
        """Show the rows in ``ordering``'s order (one of the job list's)."""
        self._sorted = ordering
        self.restrict(self._job_type, self._only)

    def restrict(self, job_type: str | None, only: Collection[int] | None) -> None:
        """Only jobs of ``job_type`` (``None``: any type), only rows in ``only`` (``None``:
        all rows)."""
        self._job_type, self._only = job_type, only
        self._restricted = self.jobs.restricted(self._sorted, job_type, only)
        self._shown = self.jobs.matching(self._restricted, self._needle)

    def search(self, text: str) -> None:
        """Only jobs whose name, type or id contains ``text`` (case-insensitive)."""
        needle = search_needle(text)
        if needle == self._needle:
            return
        narrower = bool(self._needle) and self._needle in needle
        self._shown = self.jobs.matching(self._shown if narrower else self._restricted, needle)
        self._needle = needle
