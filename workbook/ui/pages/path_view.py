"""The person's path on their pages: the home page's summary (path, minutes, time left) and the
module page's marks (each section and exercise in the session or "for afterwards", with minutes)."""
from __future__ import annotations

from workbook.auth.identity import Identity
from workbook.content.catalogue import Module, catalogue
from workbook.domain.paths import ModulePlan, Step, get_path, module_plan, plan, step_done, time_left
from workbook.i18n import current_language
from workbook.render.fragments import render_fragment
from workbook.store import Database, path_state


def _labels() -> dict[str, str]:
    doc = catalogue().paths
    return dict(doc.labels) if doc else {}


def path_summary_html(db: Database, identity: Identity) -> str:
    """The home page's box: the person's path, its minutes per module, and the time left."""
    cat = catalogue()
    if cat.paths is None or identity.person_id is None:
        return ""
    L = _labels()
    path_id, status, answered = path_state(db, identity, identity.person_id)
    path = get_path(cat.paths, path_id)
    plans = plan(cat, path_id)
    left = time_left(plans, status, answered)
    rows = [(mp, time_left([mp], status, answered)) for mp in plans]
    return str(render_fragment("path", part="summary", labels=L, path=path, left=left, rows=rows, workshop=path.modules is not None))


# A badge depends only on its step, whether it is done, the kind of path and the language: rendered once per kernel
# (a visitor's sign-in rendered ~15 of them, #17), kept with the catalogue it was rendered from.
_RENDERED: dict[tuple, tuple[object, str]] = {}


def _path_fragment(part: str, step: Step, done: bool, workshop: bool, ex_id: str = "") -> str:
    cat = catalogue()
    key = (current_language(), part, ex_id, step, done, workshop)
    kept = _RENDERED.get(key)
    if kept is not None and kept[0] is cat:
        return kept[1]
    html = str(render_fragment("path", part=part, labels=_labels(), ex_id=ex_id, step=step, done=done, workshop=workshop))
    if len(_RENDERED) >= 4096:
        _RENDERED.clear()
    _RENDERED[key] = (cat, html)
    return html


def _badge(step: Step, done: bool, workshop: bool = True) -> str:
    return _path_fragment("badge", step, done, workshop)


def module_path(db: Database, identity: Identity, module: Module) -> tuple[ModulePlan, str | None, set[str], bool]:
    """The module on the person's path, their status in it, their answered ids, and whether the path is a session one."""
    mp, status, answered, path = _module_state(db, identity, module)
    return mp, status, answered, path.modules is not None


def _module_state(db: Database, identity: Identity, module: Module):
    """(module plan, status, answered ids, the person's path): read once per page build."""
    cat = catalogue()
    path_id, statuses, every = path_state(db, identity, identity.person_id)
    path = get_path(cat.paths, path_id)
    mp = module_plan(cat, path, module, cat.paths.estimates)
    status = statuses.get(module.id)
    # the module's own answers, plus answers stored outside the modules (quiz forms) for group steps
    answered = every.get(module.id, set()) | {x for k, ids in every.items() if k not in cat.modules for x in ids}
    return mp, status, answered, path


def section_marks(mp: ModulePlan, status: str | None, answered: set[str], workshop: bool = True) -> dict[str, str]:
    """Section heading -> its badge, for ``teaching_html``."""
    return {s.ref: _badge(s, step_done(s, status, answered), workshop) for s in mp.steps if s.kind == "read"}


def exercise_mark(mp: ModulePlan, ex_id: str, status: str | None, answered: set[str], workshop: bool = True) -> str:
    """The badge put above an exercise (or the questionnaire); empty when the path does not list it."""
    step = mp.step_for("do", ex_id)
    if not step:
        return ""
    return _path_fragment("mark", step, step_done(step, status, answered), workshop, ex_id)


def module_box_html(db: Database, identity: Identity, module: Module, state=None) -> str:
    """The box at the top of a module's exercises: the path's steps here, in the session or for afterwards
    (``state``: what ``_module_state`` read, when the caller has it already)."""
    cat = catalogue()
    if cat.paths is None or identity.person_id is None:
        return ""
    L = _labels()
    mp, status, answered, path = state or _module_state(db, identity, module)
    workshop = path.modules is not None
    from .shell import page_link

    kinds = {"read": L.get("read", "Read"), "do": L.get("do", "Do"), "group": L.get("group", "With the group")}
    rows = [(s, step_done(s, status, answered), page_link(s.page) if s.page else "") for s in mp.steps]
    head = L.get("module_box", "On your path ({path})").format(path=path.title)
    return str(render_fragment("path", part="box", labels=L, head=head, plan=mp, rows=rows, kinds=kinds, workshop=workshop))


def module_marks(db: Database, identity: Identity, module: Module) -> tuple[str, dict[str, str], dict[str, str]]:
    """Everything the module page marks after sign-in: the box, section badges, exercise badges."""
    if catalogue().paths is None or identity.person_id is None:
        return "", {}, {}
    state = _module_state(db, identity, module)  # path, progress and answers read once for the box and every mark
    mp, status, answered, path = state
    workshop = path.modules is not None
    ids = ([module.instrument] if module.instrument else []) + [e.id for e in module.exercises]
    return (module_box_html(db, identity, module, state), section_marks(mp, status, answered, workshop),
            {i: exercise_mark(mp, i, status, answered, workshop) for i in ids})
