"""Exercise widgets by type. A module's YAML lists exercises; each ``type`` maps to a builder here.

A builder takes the :class:`ExerciseContext` and the exercise spec (validated by
``content.Exercise``) and returns the widgets to show. It saves through ``ctx.save`` and reads
the person's saved answers through ``ctx.saved``, so every exercise saves as the person works
and is restored from the store on reload.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.catalogue import Exercise, Module
from workbook.store import Database, current_answers

from ..common import StatusLine, safe
from ..saver import AnswerSaver


@dataclass
class ExerciseContext:
    db: Database
    identity: Identity
    module: Module
    saver: AnswerSaver
    status: StatusLine
    on_change: list[Callable[[], None]] = field(default_factory=list)
    instrument_form: w.Widget | None = None  # the module's instrument form (a retake clears it)

    def saved(self, exercise_id: str) -> dict[str, object]:
        """The person's current answers to one exercise, from the store."""
        return current_answers(self.db, self.identity, self.identity.person_id, exercise_id)

    def save(self, exercise_id: str, item: str, value: object) -> None:
        """Save one answer (kept on the page and retried if the store is down)."""
        safe(self.status)(self.saver.save)(exercise_id, item, value)


Builder = Callable[[ExerciseContext, Exercise], list[w.Widget]]
REGISTRY: dict[str, Builder] = {}


def register(kind: str):
    def deco(fn: Builder) -> Builder:
        REGISTRY[kind] = fn
        return fn

    return deco


def build(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    _load_structured()
    return REGISTRY[spec.type](ctx, spec)


# "Your results" per exercise: a type may register a summary ``(spec, saved answers) -> HTML``.
Summary = Callable[[Exercise, dict[str, object]], str]
SUMMARIES: dict[str, Summary] = {}


def summary(kind: str):
    """Register the results summary of an exercise type (pure: spec and saved answers in, HTML out)."""

    def deco(fn: Summary) -> Summary:
        SUMMARIES[kind] = fn
        return fn

    return deco


_LOADED: list[bool] = []


def _load_structured() -> None:
    """Import every module of this package once, so each ``@register`` and ``@summary`` has run."""
    if _LOADED:
        return
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    _LOADED.append(True)


def redrawn_on_change(fn: Summary) -> Summary:
    """Wrap a summary so it is drawn again (charts cost time) only when its answers changed."""
    import json

    cache: dict[tuple, str] = {}

    def inner(spec: Exercise, saved: dict[str, object]) -> str:
        key = (spec.model_dump_json(), json.dumps(saved, sort_keys=True, default=str))
        if key not in cache:
            if len(cache) > 64:
                cache.clear()
            cache[key] = fn(spec, saved)
        return cache[key]

    return inner


def summarize(spec: Exercise, saved: dict[str, object]) -> str | None:
    """The exercise's results summary as HTML, or None when its type has none."""
    _load_structured()
    fn = SUMMARIES.get(spec.type)
    return fn(spec, saved) if fn else None
