"""Worked examples computed from fixed data in ``datasets/`` (no database): the Nordfrost case
(``case_nordfrost.yaml``, the workbook's own) seen through modules 1, 2, 4 and 9, and the curriculum.

Pages show them as teaching material; nbval checks their printed output.
"""
from __future__ import annotations

from workbook.content.catalogue import catalogue
from workbook.domain.scoring import score
from workbook.errors import ContentError


def modules_text() -> str:
    """The curriculum as text: number, title and concepts of each module."""
    return "\n".join(f"Module {m.number}: {m.title} [{', '.join(m.concepts)}]" for m in catalogue().ordered_modules())



def _exercise_spec(module_id: str, exercise_id: str):
    from workbook.content.exercise_specs import spec_of

    return spec_of(next(e for e in catalogue().module(module_id).exercises if e.id == exercise_id))


def _case():
    from workbook.content.case import load_case

    return load_case()


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def case_servuction_text() -> str:
    """Module 1 worked example: the Nordfrost contract's servuction system element by element, and how much the client co-produces."""
    cfg = _exercise_spec("m01", "servuction_map")
    case = _case()
    c = case.m01
    unknown = set(c.elements) - {e.id for e in cfg.elements}
    if unknown:
        raise ContentError(f"case_nordfrost.yaml: m01.elements: {', '.join(sorted(unknown))} not elements of Module 1's servuction map")
    lines = [f"{case.provider} for {case.client}: {c.service}"]
    for e in cfg.elements:
        lines.append(f"  {e.label}: {c.elements.get(e.id, '(not described)')}")
    inst = catalogue().instrument("coproduction")
    lines.append(f"{case.manager}'s answers to {inst.title!r}:")
    for s in score(inst, c.coproduction):
        lines.append(f"  {s.label:<22} " + (f"{s.score_100:5.1f} / 100" if s.score_100 is not None else "not enough answers"))
    return "\n".join(lines)


def case_timeline_answers() -> dict[str, object]:
    """Module 2's timeline filled in for the Nordfrost relationship, as the exercise saves it."""
    c = _case().m02
    out: dict[str, object] = {"relationship": c.relationship}
    for pid, ph in c.phases.items():
        out |= {f"{pid}.duration": ph.duration, f"{pid}.who": ph.who, f"{pid}.where": ph.where}
    return out


def case_timeline_text() -> str:
    """Module 2 worked example: the Nordfrost relationship from trade fair to renewal, in time and space."""
    from workbook.domain.timeline import phases_from_answers, summarise

    cfg = _exercise_spec("m02", "timeline")
    c = _case().m02
    ids, places = [p.id for p in cfg.phases], {p.id: p.label for p in cfg.places}
    bad = [pid for pid in c.phases if pid not in ids] + [ph.where for ph in c.phases.values() if ph.where not in places]
    if bad:
        raise ContentError(f"case_nordfrost.yaml: m02.phases: {', '.join(bad)} not a phase or place of Module 2's timeline")
    phases = phases_from_answers([(p.id, p.label) for p in cfg.phases], case_timeline_answers())
    summ = summarise(phases, cfg.delivery_phase)
    lines = [f"{c.relationship}: {_num(summ.total)} {cfg.unit} from first contact to renewal"]
    t = 0.0
    for p in phases:
        if p.duration is None:
            continue
        lines.append(f"  {_num(t):>3}-{_num(t + p.duration):<3} {p.label:<28} {places.get(p.where or '', '—')}")
        t += p.duration
    share = summ.share_outside
    lines.append(f"  before delivery {_num(summ.before)} {cfg.unit}, delivery {_num(summ.during)}, after {_num(summ.after)}: {share:.0%} of the relationship lies outside delivery")
    lines.append(f"  phases at the client's site: {summ.places.get(cfg.client_site, 0)} of {sum(summ.places.values())}; "
                 f"on Polarfix's site: {summ.places.get(cfg.own_site, 0)}; remote: {summ.places.get(cfg.remote, 0)}")
    return "\n".join(lines)


def case_timeline_html() -> str:
    """Module 2 worked example drawn with the timeline chart the trainee's own results use (SVG)."""
    from workbook.domain.timeline import phases_from_answers, timeline_frame
    from workbook.render.charts import timeline_chart, to_svg

    cfg = _exercise_spec("m02", "timeline")
    frame = timeline_frame(phases_from_answers([(p.id, p.label) for p in cfg.phases], case_timeline_answers()))
    title = f"{_case().m02.relationship}, phase by phase"
    chart = timeline_chart(frame, title, cfg.texts.axis.format(unit=cfg.unit), cfg.texts.place_legend, {p.id: p.label for p in cfg.places})
    from workbook.render.fragments import render_fragment, trusted

    return str(render_fragment("figure", body=trusted(to_svg(chart)), caption=None))


def case_voices_text() -> str:
    """Module 4 worked example: what Nordfrost's people said, sorted by the key's rule, and Polarfix's importance-investment grid."""
    from workbook.domain.ipa import by_category, ipa_frame

    case = _case()
    v = case.m04
    cfg = _exercise_spec("m04", "gaps")
    lines = [f"What people at {case.client} said about {case.provider} (the case's statements, sorted with Module 4's rule):"]
    for key in ("outcome", "process"):
        said = [s for s in v.statements if s.key == key]
        lines.append(f"  {key} ({len(said)}):")
        lines += [f"    {s.who}: {s.text}" for s in said]
    frame = ipa_frame([i.model_dump() for i in v.invest], [c.model_dump() for c in v.cite], cfg.high)
    lines.append(f"Importance to {case.client} against the investment of {case.provider} (high from {cfg.high} of 5):")
    for cat, names in by_category(frame).items():
        lines.append(f"  {cfg.categories[cat]}: {', '.join(names) or 'none'}")
    return "\n".join(lines)


def case_coaching_text() -> str:
    """Module 9 worked example: Sam Keller's GROW session, with his reality taken from the case's figures, and his SMART plan."""
    from workbook.domain.action_plan import SMART_VARIANT, smart_problems
    from workbook.domain.journey import action_list

    from .examples_profiles import case_feedback
    from .figures import example_map

    case = _case()
    c = case.m09
    fb = case_feedback()
    flags = [f"{d.label}: {d.flag}" for d in fb.dimensions if d.flag]
    pains = [a for a in action_list(example_map()) if a.kind == "pain point"]
    lines = [f"GROW session of {case.manager} ({case.provider}, {case.client} account)"]
    lines.append(f"  Goal: {c.grow.goal}")
    lines.append(f"  Reality: {c.grow.reality}")
    lines.append(f"    360 (Module 3): {'; '.join(flags) or 'no flag'}")
    lines.append(f"    journey map (Module 5): {len(pains)} pain points he or his team control, the worst: "
                 + "; ".join(f"{a.touchpoint} ({a.emotion:+d})" for a in sorted(pains, key=lambda a: a.emotion)[:2]))
    lines.append(f"  Options: {c.grow.options}")
    lines.append(f"  Way forward: {c.grow.way_forward}")
    lines.append(f"Draft action {c.draft.get('text')!r} is not SMART yet:")
    lines += [f"  - {p}" for p in smart_problems(c.draft)]
    lines.append(f"The plan, checked against {SMART_VARIANT}:")
    for a in c.actions:
        problems = smart_problems(a)
        lines.append(f"  [{'SMART' if not problems else 'not SMART: ' + '; '.join(problems)}] {a['text']} (owner {a['owner']}; by {a['due']}; measure: {a['measure']})")
    return "\n".join(lines)
