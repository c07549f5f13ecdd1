"""Worked examples computed from fixed data in ``datasets/`` (no database): the Nordfrost case
(``case_nordfrost.yaml``, the workbook's own) seen through modules 1, 2, 4 and 9, and the curriculum.

Pages show them as teaching material (``worked_example``: drawn again in the person's language); nbval checks
their English text. The fixed words are gettext messages, the case's words come from ``datasets/<lang>/``.
"""
from __future__ import annotations

from workbook.content.catalogue import catalogue
from workbook.domain.scoring import score
from workbook.errors import ContentError
from workbook.i18n import _, format_number, format_percentage


def modules_text() -> str:
    """The curriculum as text: number, title and concepts of each module."""
    return "\n".join(_("Module {number}: {title} [{concepts}]").format(number=m.number, title=m.title, concepts=", ".join(m.concepts))
                     for m in catalogue().ordered_modules())



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
    lines = [_("{provider} for {client}: {service}").format(provider=case.provider, client=case.client, service=c.service)]
    for e in cfg.elements:
        lines.append("  " + _("{label}: {text}").format(label=e.label, text=c.elements.get(e.id) or _("(not described)")))
    inst = catalogue().instrument("coproduction")
    lines.append(_("{manager}'s answers to '{title}':").format(manager=case.manager, title=inst.title))
    for s in score(inst, c.coproduction):
        lines.append(f"  {s.label:<22} " + (f"{format_number(s.score_100, 1):>5} / 100" if s.score_100 is not None else _("not enough answers")))
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
    lines = [_("{relationship}: {total} {unit} from first contact to renewal").format(relationship=c.relationship, total=_num(summ.total), unit=cfg.unit)]
    t = 0.0
    for p in phases:
        if p.duration is None:
            continue
        lines.append(f"  {_num(t):>3}-{_num(t + p.duration):<3} {p.label:<28} {places.get(p.where or '', '—')}")
        t += p.duration
    share = summ.share_outside
    lines.append("  " + _("before delivery {before} {unit}, delivery {during}, after {after}: {share} of the relationship lies outside delivery").format(
        before=_num(summ.before), unit=cfg.unit, during=_num(summ.during), after=_num(summ.after), share=format_percentage(share)))
    lines.append("  " + _("phases at the client's site: {client} of {total}; on Polarfix's site: {own}; remote: {remote}").format(
        client=summ.places.get(cfg.client_site, 0), total=sum(summ.places.values()), own=summ.places.get(cfg.own_site, 0),
        remote=summ.places.get(cfg.remote, 0)))
    return "\n".join(lines)


def case_timeline_html() -> str:
    """Module 2 worked example drawn with the timeline chart the trainee's own results use (SVG)."""
    from workbook.domain.timeline import phases_from_answers, timeline_frame
    from workbook.render.charts import timeline_chart, to_svg

    cfg = _exercise_spec("m02", "timeline")
    frame = timeline_frame(phases_from_answers([(p.id, p.label) for p in cfg.phases], case_timeline_answers()))
    title = _("{relationship}, phase by phase").format(relationship=_case().m02.relationship)
    chart = timeline_chart(frame, title, cfg.texts.axis.format(unit=cfg.unit), cfg.texts.place_legend, {p.id: p.label for p in cfg.places})
    from workbook.render.fragments import render_fragment, trusted

    return str(render_fragment("figure", body=trusted(to_svg(chart)), caption=None))


def case_voices_text() -> str:
    """Module 4 worked example: what Nordfrost's people said, sorted by the key's rule, and Polarfix's importance-investment grid."""
    from workbook.domain.ipa import by_category, ipa_frame
    from workbook.domain.journey import label

    case = _case()
    v = case.m04
    cfg = _exercise_spec("m04", "gaps")
    lines = [_("What people at {client} said about {provider} (the case's statements, sorted with Module 4's rule):").format(client=case.client, provider=case.provider)]
    for key in ("outcome", "process"):
        said = [s for s in v.statements if s.key == key]
        lines.append("  " + _("{key} ({count}):").format(key=label(key), count=len(said)))
        lines += ["    " + _("{label}: {text}").format(label=s.who, text=s.text) for s in said]
    frame = ipa_frame([i.model_dump() for i in v.invest], [c.model_dump() for c in v.cite], cfg.high)
    lines.append(_("Importance to {client} against the investment of {provider} (high from {high} of 5):").format(client=case.client, provider=case.provider, high=cfg.high))
    for cat, names in by_category(frame).items():
        lines.append("  " + _("{label}: {text}").format(label=cfg.categories[cat], text=", ".join(names) or _("none")))
    return "\n".join(lines)


def case_coaching_text() -> str:
    """Module 9 worked example: Sam Keller's GROW session, with his reality taken from the case's figures, and his SMART plan."""
    from workbook.domain.action_plan import SMART_VARIANT, smart_problems
    from workbook.domain.journey import action_list
    from workbook.render.fragments import flag_text

    from .examples_profiles import case_feedback
    from .figures import example_map

    case = _case()
    c = case.m09
    fb = case_feedback()
    flags = [_("{label}: {text}").format(label=d.label, text=flag_text(d.flag)) for d in fb.dimensions if d.flag]
    pains = [a for a in action_list(example_map()) if a.kind == "pain point"]
    worst = "; ".join(f"{a.touchpoint} ({a.emotion:+d})" for a in sorted(pains, key=lambda a: a.emotion)[:2])
    lines = [_("GROW session of {manager} ({provider}, {client} account)").format(manager=case.manager, provider=case.provider, client=case.client)]
    lines.append("  " + _("Goal: {text}").format(text=c.grow.goal))
    lines.append("  " + _("Reality: {text}").format(text=c.grow.reality))
    lines.append("    " + _("360 (Module 3): {flags}").format(flags="; ".join(flags) or _("no flag")))
    lines.append("    " + _("journey map (Module 5): {count} pain points he or his team control, the worst: {worst}").format(count=len(pains), worst=worst))
    lines.append("  " + _("Options: {text}").format(text=c.grow.options))
    lines.append("  " + _("Way forward: {text}").format(text=c.grow.way_forward))
    lines.append(_("Draft action '{text}' is not SMART yet:").format(text=c.draft.get("text")))
    lines += [f"  - {p}" for p in smart_problems(c.draft)]
    lines.append(_("The plan, checked against {variant}:").format(variant=SMART_VARIANT))
    for a in c.actions:
        problems = smart_problems(a)
        verdict = "SMART" if not problems else _("not SMART: {problems}").format(problems="; ".join(problems))
        lines.append("  " + _("[{verdict}] {text} (owner {owner}; by {due}; measure: {measure})").format(
            verdict=verdict, text=a["text"], owner=a["owner"], due=a["due"], measure=a["measure"]))
    return "\n".join(lines)
