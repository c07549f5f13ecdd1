"""Worked examples for modules 6–8 and the reference pages, computed from ``datasets/`` and ``exercises/``.

Printed by the notebooks; nbval checks the output, so a change in the analysis or the demo data shows.
"""
from __future__ import annotations

from collections import Counter

from ..content import catalogue
from ..demo import answers_by_trainee, read_demo
from ..exercise_specs import spec_of
from ..scoring import score
from ..service_analysis import checklist_fit, count_by, dominant_link, left_aside, rows_from_answers


def demo_triangle_text() -> str:
    """The demo cohort's servuction triangles: mean link scores and how many favour each link."""
    cat = catalogue()
    module, inst = cat.module("m06"), cat.instrument("triangle_links")
    _cohort, answers = read_demo()
    per_person = answers_by_trainee(answers, inst.id)
    favoured: Counter[str] = Counter()
    sums: dict[str, list[float]] = {d.id: [] for d in inst.dimensions}
    for person in per_person.values():
        scores = {s.dimension: s.score_100 for s in score(inst, person)}
        for k, v in scores.items():
            if v is not None:
                sums[k].append(v)
        favoured[dominant_link(scores) or "none"] += 1
    labels = module.results.labels
    lines = [f"Demo cohort, servuction triangle: {len(per_person)} trainees"]
    for d in inst.dimensions:
        vals = sums[d.id]
        lines.append(f"  {labels.get(d.id, d.label):<13} mean {sum(vals) / len(vals):5.1f} / 100; favoured by {favoured[d.id]:2d}; leaves aside the {left_aside(d.id)}")
    lines.append(f"  no clear lead: {favoured['none']}")
    specs = {e.id: e for e in module.exercises}
    for link, ex in module.results.mixes.items():
        s = spec_of(specs[ex])
        top = max(o.value for o in s.options)
        fits = [checklist_fit(a, [i.id for i in s.items], top).percent for a in answers_by_trainee(answers, ex).values()]
        fits = [f for f in fits if f is not None]
        lines.append(f"  fit with the {link} mix: mean {sum(fits) / len(fits):5.1f}% (n = {len(fits)})")
    return "\n".join(lines)


def demo_culture_text() -> str:
    """The demo cohort's weakest service-culture trait per trainee, and how they see their services."""
    cat = catalogue()
    inst = cat.instrument("service_culture")
    _cohort, answers = read_demo()
    weakest: Counter[str] = Counter()
    for person in answers_by_trainee(answers, inst.id).values():
        scored = [s for s in score(inst, person) if s.score_100 is not None]
        if scored:
            weakest[min(scored, key=lambda s: s.score_100).label] += 1
    lines = ["Weakest trait, number of trainees:"] + [f"  {label:<30} {n}" for label, n in sorted(weakest.items(), key=lambda kv: (-kv[1], kv[0]))]
    spec = next(e for e in cat.module("m07").exercises if e.id == "layer_or_reinvention")
    choices = Counter(a.get("choice") for a in answers_by_trainee(answers, spec.id).values())
    lines.append("Services around the main offer today:")
    lines += [f"  {o.label:<30} {choices[o.value]}" for o in spec_of(spec).options]
    return "\n".join(lines)


def demo_essence_text() -> str:
    """The demo cohort's service actions by layer, and where they place their offers on the ladder."""
    cat = catalogue()
    specs = {e.id: e for e in cat.module("m08").exercises}
    _cohort, answers = read_demo()
    sort = spec_of(specs["layer_sort"])
    layer_col = next(c for c in sort.columns if c.id == "layer")
    totals: Counter[object] = Counter()
    for person in answers_by_trainee(answers, "layer_sort").values():
        for value, n in count_by(rows_from_answers(person, [c.id for c in sort.columns]), "layer", [o.value for o in layer_col.options]):
            totals[value] += n
    all_rows = sum(totals.values())
    lines = [f"Service actions listed by the demo cohort: {all_rows}"]
    lines += [f"  {o.label:<16} {totals[o.value]:3d}  ({totals[o.value] / all_rows * 100:4.1f}%)" for o in layer_col.options]
    ladder = spec_of(specs["ladder"])
    picks = Counter(a.get("choice") for a in answers_by_trainee(answers, "ladder").values())
    lines.append("Offers on the competitive ladder:")
    lines += [f"  {str(o.value):<12} {picks[o.value]:2d}  {o.label}" for o in ladder.options]
    return "\n".join(lines)


def glossary_text() -> str:
    """Which concepts of the inventory (C1–C23) the glossary explains, and with how many terms each."""
    per: Counter[str] = Counter(c for e in catalogue().glossary for c in e.concepts)
    concepts = [f"C{n}" for n in range(1, 24)]
    missing = [c for c in concepts if not per[c]]
    lines = [f"Concepts with a glossary term: {len(concepts) - len(missing)} of {len(concepts)}" + (f" (missing: {', '.join(missing)})" if missing else "")]
    lines.append("Terms on the servuction triangle (C12-C15): " + ", ".join(sorted(e.term for e in catalogue().glossary if set(e.concepts) & {"C12", "C13", "C14", "C15"})))
    return "\n".join(lines)


def sources_text() -> str:
    """The five seed texts as cited (key, author, title, publisher, date, where, seed file), then the other references."""
    lines, others = [], []
    for key, s in catalogue().sources.items():
        if not s.seed_file:
            others.append(key + (f" ({s.date})" if s.date else ""))
            continue
        published = "; ".join(x for x in (s.publisher, s.date) if x)
        lines.append(f"{key}: {s.author}, {s.title}" + (f" [{published}]" if published else "") + f"; {s.where} [{s.seed_file}]")
    lines.append("Other references: " + ", ".join(others))
    return "\n".join(lines)
