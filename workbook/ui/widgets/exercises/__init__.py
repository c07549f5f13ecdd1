"""Exercise widgets by type: one builder registered per name of ``content.exercise_specs.TYPES``.

The content layer owns the type names and their settings models; this package registers the
widget builder (and, optionally, the results summary) of each name. ``register`` refuses a name
the content does not declare, and ``tests/test_exercise_registry.py`` checks every declared name
has a builder.

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
from workbook.content.exercise_specs import TYPES
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
    # answers read for the whole module at sign-in (one query), each handed out once while the page is built
    prefetched: dict[str, dict[str, object]] = field(default_factory=dict)

    def saved(self, exercise_id: str) -> dict[str, object]:
        """The person's current answers to one exercise, from the store (or, while the page is being
        built at sign-in, from the module's answers read then)."""
        if exercise_id in self.prefetched:
            return self.prefetched.pop(exercise_id)
        return current_answers(self.db, self.identity, self.identity.person_id, exercise_id)

    def save(self, exercise_id: str, item: str, value: object) -> None:
        """Save one answer (kept on the page and retried if the store is down)."""
        safe(self.status)(self.saver.save)(exercise_id, item, value)


class LateContext:
    """The context of an exercise built before anyone signs in (a preheated kernel waiting for its visitor): it
    shows no answers, and saves nothing until ``bind`` gives it the signed-in page's context, to which it then
    hands every save and read. Its widget models then travel with the page's state instead of one message each at
    sign-in. Only the types registered with ``prebuild=True`` are built so: their builders use nothing of the
    context but ``saved``, ``save`` and ``on_change``."""

    def __init__(self, module: Module):
        self.module = module
        self.target: ExerciseContext | None = None
        self.on_change: list[Callable[[], None]] = []

    def saved(self, exercise_id: str) -> dict[str, object]:
        return self.target.saved(exercise_id) if self.target is not None else {}

    def save(self, exercise_id: str, item: str, value: object) -> None:
        if self.target is not None:  # before sign-in (or when its widgets were not used): nobody's answer
            self.target.save(exercise_id, item, value)

    def bind(self, ctx: ExerciseContext) -> None:
        """From now on the exercise saves and reads as the signed-in person of ``ctx``."""
        self.target = ctx
        ctx.on_change.extend(self.on_change)


Builder = Callable[[ExerciseContext, Exercise], list[w.Widget]]
BUILDERS: dict[str, Builder] = {}
PREBUILT: set[str] = set()  # types whose widgets a preheated kernel builds before its visitor (LateContext)


def _declared(kind: str, table: dict) -> None:
    if kind not in TYPES:
        raise ValueError(f"exercise type {kind!r} is not declared in content/exercise_specs.py TYPES; declare it there first")
    if kind in table:
        raise ValueError(f"exercise type {kind!r} is registered twice")


def register(kind: str, prebuild: bool = False):
    """Register the widget builder of a declared exercise type; ``prebuild``: the builder uses nothing of its
    context but ``saved``, ``save`` and ``on_change``, so it may run before sign-in (``LateContext``)."""

    def deco(fn: Builder) -> Builder:
        _declared(kind, BUILDERS)
        BUILDERS[kind] = fn
        if prebuild:
            PREBUILT.add(kind)
        return fn

    return deco


def builders() -> dict[str, Builder]:
    """Every registered builder by type name (all of this package's modules loaded)."""
    _load_structured()
    return dict(BUILDERS)


def build(ctx: ExerciseContext | LateContext, spec: Exercise) -> list[w.Widget]:
    """The widgets of one exercise, drawn by its type's builder."""
    _load_structured()
    return BUILDERS[spec.type](ctx, spec)


def prebuild(module: Module) -> dict[str, tuple[LateContext, list[w.Widget]]]:
    """The widgets of the module's exercises that can be built before anyone signs in, by exercise id, each with
    the ``LateContext`` to ``bind`` at sign-in (used for a person with no answers to that exercise yet)."""
    _load_structured()
    out = {}
    for spec in module.exercises:
        if spec.type in PREBUILT:
            late = LateContext(module)
            out[spec.id] = (late, build(late, spec))
    return out


# "Your results" per exercise: a type may register a summary ``(spec, saved answers) -> HTML``.
Summary = Callable[[Exercise, dict[str, object]], str]
SUMMARIES: dict[str, Summary] = {}


def summary(kind: str):
    """Register the results summary of an exercise type (pure: spec and saved answers in, HTML out)."""

    def deco(fn: Summary) -> Summary:
        _declared(kind, SUMMARIES)
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
