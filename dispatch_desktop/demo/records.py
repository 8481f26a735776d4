"""What the demo server remembers about each started job (for callbacks and for tests)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dispatch_desktop.demo.rules import AssignGoal, Recipient


@dataclass
class StartedJob:
    """One accepted /startsavedjob call.

    ``params`` holds the parameters as received (long names, credentials removed).
    ``responders`` are the recipients that will answer YES and be assigned, in order.
    ``events`` collects every callback body generated, whether or not it could be delivered.
    """

    runtimeid: int
    saved_job_id: int
    saved_job_type: str
    jobname: str
    message: str
    assignedmessage: str
    recipients: tuple[Recipient, ...]
    responsegoal: int | None
    scheduledstart: datetime | None
    params: dict[str, Any]
    username: str
    method: str
    responders: tuple[Recipient, ...]
    events: list[dict[str, Any]] = field(default_factory=list)


def pick_responders(goals: Iterable[AssignGoal], seed: int) -> tuple[Recipient, ...]:
    """Draw who answers YES: up to ``count`` per goal, nobody twice; deterministic per seed."""
    rng = random.Random(seed)
    chosen: list[Recipient] = []
    for goal in goals:
        taken = {r.phone for r in chosen}
        candidates = [r for r in goal.pool if r.phone not in taken]
        chosen.extend(rng.sample(candidates, min(goal.count, len(candidates))))
    return tuple(chosen)
