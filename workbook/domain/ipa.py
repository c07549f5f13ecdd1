"""Importance–performance analysis (Martilla & James 1977) of what clients cite against what the
company invests in (Module 4). Pure functions, no I/O.

Elements are matched by name (case, spacing and punctuation at the ends ignored). An element
clients cite but the company never listed is "never identified"; one the company invests in
but clients never cite is "ignored". Elements on both lists fall into the four quadrants of
the grid, split at ``high`` on each axis (the workbook's choice: the scale point from which a
level counts as high).
"""
from __future__ import annotations

import re

import pandas as pd

CATEGORIES = ("never_identified", "ignored", "concentrate", "keep_up", "low_priority", "overkill")


def normalise(name: str) -> str:
    """The matching key of an element name: lower case, single spaces, no end punctuation."""
    return re.sub(r"\s+", " ", str(name)).strip(" .,;:!?-–—").casefold()


def _levels(rows: list[dict], key: str) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        name = str(row.get("element") or "").strip()
        level = row.get(key)
        if not normalise(name) or isinstance(level, bool) or not isinstance(level, int) or level < 1:
            continue
        k = normalise(name)
        if k not in out or level > out[k][1]:  # listed twice: the higher level counts
            out[k] = (out[k][0] if k in out else name, level)
    return out


def category(importance: int, investment: int, high: int) -> str:
    """Where one element falls: never identified, ignored, or one of the four quadrants."""
    if investment == 0:
        return "never_identified"
    if importance == 0:
        return "ignored"
    if importance >= high:
        return "keep_up" if investment >= high else "concentrate"
    return "overkill" if investment >= high else "low_priority"


def ipa_frame(invest: list[dict], cite: list[dict], high: int = 3) -> pd.DataFrame:
    """One row per element: importance (0 = not cited), investment (0 = none), gap, category."""
    inv = _levels(invest, "level")
    imp = _levels(cite, "importance")
    rows = []
    for k in list(imp) + [k for k in inv if k not in imp]:
        name = imp[k][0] if k in imp else inv[k][0]
        importance = imp.get(k, ("", 0))[1]
        investment = inv.get(k, ("", 0))[1]
        rows.append({"element": name, "importance": importance, "investment": investment, "gap": importance - investment, "category": category(importance, investment, high)})
    return pd.DataFrame(rows, columns=["element", "importance", "investment", "gap", "category"])


def by_category(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Element names per category (every category present, possibly empty), largest gap first."""
    out: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for _i, row in frame.assign(abs_gap=frame["gap"].abs()).sort_values("abs_gap", ascending=False, kind="stable").iterrows():
        out[row["category"]].append(row["element"])
    return out
