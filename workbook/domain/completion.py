"""When a module counts as done: one rule over what the person saved. Pure functions, no I/O.

A module is *done* when its questionnaire (if it has one) gives a score on every dimension (scoring's
two-thirds rule) and every exercise the person works on has a saved, non-empty answer (a reflection,
a map, a sort…); exercises that only show results (profile, attempts, 360 feedback) are not required.
A module the person marked done themselves ("Mark this module as done") is done too. Anything
saved, or the module opened, makes it *in progress*; otherwise it is not started (None).
"""
from __future__ import annotations

from collections.abc import Iterable

from .scoring import DimensionScore

# exercise types that show results and take no answer of their own
DISPLAY_ONLY = frozenset({"profile_result", "attempts", "feedback360"})
DONE, IN_PROGRESS = "done", "in_progress"


def required_exercises(exercises: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The ids of the exercises, given as ``(id, type)``, that need an answer for the module to be done."""
    return frozenset(ex_id for ex_id, kind in exercises if kind not in DISPLAY_ONLY)


def instrument_complete(scores: Iterable[DimensionScore]) -> bool:
    """Whether a questionnaire's answers score every dimension (at least one dimension)."""
    scores = list(scores)
    return bool(scores) and all(s.mean is not None for s in scores)


def module_status(required: Iterable[str], answered: Iterable[str], instrument_done: bool | None,
                  recorded: str | None) -> str | None:
    """"done", "in_progress" or None (not started) for one module. ``required``: exercise ids needing an
    answer; ``answered``: ids the person saved a non-empty answer to; ``instrument_done``: None when the
    module has no questionnaire; ``recorded``: the latest status stored (the person's own mark)."""
    answered = frozenset(answered)
    if recorded == DONE:
        return DONE
    if instrument_done is not False and frozenset(required) <= answered and (answered or instrument_done):
        return DONE
    if recorded or answered:
        return IN_PROGRESS
    return None
