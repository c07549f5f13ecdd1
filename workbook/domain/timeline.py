"""A client relationship as a timeline of phases (Module 2): pure functions, no I/O.

Each phase has a duration, the people involved and where it happens. The summary measures the
two B2B specificities of servuction in Mathieu's §2.2.1.3: how far the relationship stretches
before and after delivery (time) and how much of it happens at the client's site (space).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Phase:
    id: str
    label: str
    duration: float | None
    who: str = ""
    where: str | None = None


@dataclass(frozen=True)
class TimelineSummary:
    described: int  # phases with a duration
    before: float  # duration before the delivery phase
    during: float  # duration of the delivery phase
    after: float  # duration after it
    places: dict[str, int]  # phases per place (phases with a place)

    @property
    def total(self) -> float:
        return self.before + self.during + self.after

    @property
    def share_outside(self) -> float | None:
        """Share of the relationship's time outside delivery (None when nothing is timed)."""
        return (self.before + self.after) / self.total if self.total > 0 else None


def _duration(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value >= 0 else None


def phases_from_answers(phases: list[tuple[str, str]], answers: dict[str, object]) -> list[Phase]:
    """Phases ((id, label) pairs, in order) from saved items ``<phase>.duration|who|where``."""
    out = []
    for pid, label in phases:
        where = answers.get(f"{pid}.where")
        out.append(
            Phase(pid, label, _duration(answers.get(f"{pid}.duration")), str(answers.get(f"{pid}.who") or ""), where if isinstance(where, str) and where else None)
        )
    return out


def timeline_frame(phases: list[Phase]) -> pd.DataFrame:
    """Phases laid end to end in their order: start, end, duration; untimed phases are left out."""
    rows, t = [], 0.0
    for order, p in enumerate(phases):
        if p.duration is None:
            continue
        rows.append({"order": order, "phase": p.label, "start": t, "end": t + p.duration, "duration": p.duration, "who": p.who, "where": p.where})
        t += p.duration
    return pd.DataFrame(rows, columns=["order", "phase", "start", "end", "duration", "who", "where"])


def summarise(phases: list[Phase], delivery: str) -> TimelineSummary:
    """Time before, during and after the delivery phase, and the phases counted per place."""
    ids = [p.id for p in phases]
    cut = ids.index(delivery)
    before = sum(p.duration or 0.0 for p in phases[:cut])
    during = phases[cut].duration or 0.0
    after = sum(p.duration or 0.0 for p in phases[cut + 1 :])
    places: dict[str, int] = {}
    for p in phases:
        if p.where:
            places[p.where] = places.get(p.where, 0) + 1
    return TimelineSummary(sum(p.duration is not None for p in phases), before, during, after, places)
