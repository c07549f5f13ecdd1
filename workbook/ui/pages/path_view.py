"""The person's path on their pages: the home page's summary (path, minutes, time left) and the
module page's marks (each section and exercise in the session or "for afterwards", with minutes)."""
from __future__ import annotations

from workbook.auth.identity import Identity
from workbook.content.catalogue import Module, catalogue
from workbook.domain.paths import ModulePlan, Step, get_path, module_plan, plan, step_done, time_left
from workbook.render.html import esc
from workbook.store import Database, answered_exercises, path_of, progress


def _labels() -> dict[str, str]:
    doc = catalogue().paths
    return dict(doc.labels) if doc else {}


def _minutes(n: int) -> str:
    return f"{n} {esc(_labels().get('minutes', 'min'))}"


def path_summary_html(db: Database, identity: Identity) -> str:
    """The home page's box: the person's path, its minutes per module, and the time left."""
    cat = catalogue()
    if cat.paths is None or identity.person_id is None:
        return ""
    L = _labels()
    path_id = path_of(db, identity, identity.person_id)
    path = get_path(cat.paths, path_id)
    plans = plan(cat, path_id)
    status = progress(db, identity, identity.person_id)
    answered = answered_exercises(db, identity, identity.person_id)
    left = time_left(plans, status, answered)
    workshop = path.modules is not None
    head = [f"<th>{esc(L.get('module', 'Module'))}</th>", f"<th>{esc(L.get('in_session', 'in the session')) if workshop else esc(path.title)}</th>"]
    if workshop:
        head.append(f"<th>{esc(L.get('after', 'for afterwards'))}</th>")
    head.append(f"<th>{esc(L.get('left', 'left'))}</th>")
    rows = []
    for mp in plans:
        t = time_left([mp], status, answered)
        cells = [f"<td>{mp.module.number} · {esc(mp.module.title)}</td>", f'<td class="wb-path-session">{_minutes(mp.session_minutes)}</td>']
        if workshop:
            cells.append(f'<td class="wb-path-after">{_minutes(mp.after_minutes)}</td>')
        cells.append(f"<td>{_minutes(t.session_left + t.after_left)}</td>")
        rows.append(f'<tr data-module="{esc(mp.module.id)}">{"".join(cells)}</tr>')
    total = [f"<td><b>{esc(L.get('total', 'Total'))}</b></td>", f'<td class="wb-path-session"><b>{_minutes(left.session_total)}</b></td>']
    if workshop:
        total.append(f'<td class="wb-path-after"><b>{_minutes(left.after_total)}</b></td>')
    total.append(f"<td><b>{_minutes(left.session_left + left.after_left)}</b></td>")
    lines = (f"{esc(L.get('in_session', 'in the session') if workshop else L.get('on_path', 'on your path'))}: "
             f"{_minutes(left.session_left)} {esc(L.get('left', 'left'))} of {_minutes(left.session_total)}")
    if workshop:
        lines += f" · {esc(L.get('after', 'for afterwards'))}: {_minutes(left.after_left)} {esc(L.get('left', 'left'))} of {_minutes(left.after_total)}"
    return (
        f'<div class="wb-box wb-path" data-path="{esc(path.id)}"><h2>{esc(L.get("your_path", "Your path"))}: {esc(path.title)}</h2>'
        f"<p>{esc(path.summary)}</p><p class=\"wb-path-left\"><b>{lines}</b></p>"
        f'<table class="wb-table wb-path-table"><tr>{"".join(head)}</tr>{"".join(rows)}<tr>{"".join(total)}</tr></table></div>'
    )


def _badge(step: Step, done: bool, workshop: bool = True) -> str:
    L = _labels()
    where = (L.get("in_session", "in the session") if workshop else L.get("on_path", "on your path")) if step.in_session else L.get("after", "for afterwards")
    cls = "wb-path-in" if step.in_session else "wb-path-later"
    tick = f' <span class="wb-badge done">{esc(L.get("done", "done"))}</span>' if done else ""
    return f'<span class="wb-badge {cls}">{esc(where)} · {_minutes(step.minutes)}</span>{tick}'


def module_path(db: Database, identity: Identity, module: Module) -> tuple[ModulePlan, str | None, set[str], bool]:
    """The module on the person's path, their status in it, their answered ids, and whether the path is a session one."""
    cat = catalogue()
    path = get_path(cat.paths, path_of(db, identity, identity.person_id))
    mp = module_plan(cat, path, module, cat.paths.estimates)
    status = progress(db, identity, identity.person_id).get(module.id)
    every = answered_exercises(db, identity, identity.person_id)
    # the module's own answers, plus answers stored outside the modules (quiz forms) for group steps
    answered = every.get(module.id, set()) | {x for k, ids in every.items() if k not in catalogue().modules for x in ids}
    return mp, status, answered, path.modules is not None


def section_marks(mp: ModulePlan, status: str | None, answered: set[str], workshop: bool = True) -> dict[str, str]:
    """Section heading -> its badge, for ``teaching_html``."""
    return {s.ref: _badge(s, step_done(s, status, answered), workshop) for s in mp.steps if s.kind == "read"}


def exercise_mark(mp: ModulePlan, ex_id: str, status: str | None, answered: set[str], workshop: bool = True) -> str:
    """The badge put above an exercise (or the questionnaire); empty when the path does not list it."""
    step = mp.step_for("do", ex_id)
    return f'<p class="wb-path-mark" data-step="{esc(ex_id)}">{_badge(step, step_done(step, status, answered), workshop)}</p>' if step else ""


def _step_label(step: Step) -> str:
    """A step's label, linked to its page when it has one (a quiz form)."""
    from .shell import page_link

    return f'<a href="{esc(page_link(step.page))}">{esc(step.label)}</a>' if step.page else esc(step.label)


def module_box_html(db: Database, identity: Identity, module: Module) -> str:
    """The box at the top of a module's exercises: the path's steps here, in the session or for afterwards."""
    cat = catalogue()
    if cat.paths is None or identity.person_id is None:
        return ""
    L = _labels()
    mp, status, answered, workshop = module_path(db, identity, module)
    title = get_path(cat.paths, path_of(db, identity, identity.person_id)).title
    kinds = {"read": L.get("read", "Read"), "do": L.get("do", "Do"), "group": L.get("group", "With the group")}
    rows = "".join(
        f'<tr class="{"wb-path-in" if s.in_session else "wb-path-later"}"><td>{esc(kinds[s.kind])}</td><td>{_step_label(s)}</td><td>{_badge(s, step_done(s, status, answered), workshop)}</td></tr>'
        for s in mp.steps
    )
    summary = f"{esc(L.get('in_session', 'in the session') if workshop else L.get('on_path', 'on your path'))}: {_minutes(mp.session_minutes)}"
    if workshop:
        summary += f" · {esc(L.get('after', 'for afterwards'))}: {_minutes(mp.after_minutes)}"
    head = esc(L.get("module_box", "On your path ({path})").format(path=title))
    return f'<div class="wb-box wb-path-module"><h3>{head}</h3><p><b>{summary}</b></p><table class="wb-table">{rows}</table></div>'


def module_marks(db: Database, identity: Identity, module: Module) -> tuple[str, dict[str, str], dict[str, str]]:
    """Everything the module page marks after sign-in: the box, section badges, exercise badges."""
    if catalogue().paths is None or identity.person_id is None:
        return "", {}, {}
    mp, status, answered, workshop = module_path(db, identity, module)
    ids = ([module.instrument] if module.instrument else []) + [e.id for e in module.exercises]
    return (module_box_html(db, identity, module), section_marks(mp, status, answered, workshop),
            {i: exercise_mark(mp, i, status, answered, workshop) for i in ids})
