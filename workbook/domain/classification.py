"""Client statements sorted into outcome or process (Module 4), graded against an expert key.

Pure functions; the statements are read and validated by ``workbook.content.statements``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbook.content.statements import KEYS, Statement


@dataclass(frozen=True)
class Miss:
    statement: Statement
    given: str


@dataclass(frozen=True)
class Grade:
    total: int
    answered: int
    correct: int
    missed: list[Miss]
    by_theme: dict[str, tuple[int, int]] = field(default_factory=dict)  # theme -> (right, wrong)

    @property
    def share(self) -> float | None:
        """Share of answered statements classified like the key."""
        return self.correct / self.answered if self.answered else None


def grade(statements: list[Statement], answers: dict[str, object]) -> Grade:
    """Compare the person's answers (statement id -> outcome/process) with the key."""
    correct, answered, missed = 0, 0, []
    themes: dict[str, list[int]] = {}
    for s in statements:
        given = answers.get(s.id)
        if given not in KEYS:
            continue
        answered += 1
        right = given == s.key
        correct += right
        themes.setdefault(s.theme, [0, 0])[0 if right else 1] += 1
        if not right:
            missed.append(Miss(s, str(given)))
    return Grade(len(statements), answered, correct, missed, {k: (v[0], v[1]) for k, v in themes.items()})


def key_counts(statements: list[Statement]) -> dict[str, int]:
    """How many statements the key puts on each side: {'outcome': n, 'process': m}."""
    out = {k: 0 for k in KEYS}
    for s in statements:
        out[s.key] += 1
    return out
