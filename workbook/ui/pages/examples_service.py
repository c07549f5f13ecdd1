"""Worked examples for modules 6–8 (the Nordfrost case of ``datasets/case_nordfrost_m06_m08.yaml``,
seen through each module's concept) and for the reference pages.

The ``*_text`` functions are printed by the notebooks (nbval checks the output, so a change in the
analysis or the case data shows); the ``*_html`` ones are figures inside the modules' case sections.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from workbook.content.catalogue import catalogue
from workbook.content.datafile import load_model
from workbook.content.exercise_specs import spec_of
from workbook.errors import ContentError
from workbook.i18n import _, _l, format_number, format_percentage
from workbook.render.fragments import render_fragment, trusted
from workbook.settings import get_settings

CASE_FILE = "case_nordfrost_m06_m08.yaml"
CASE_CAPTION = _l("The Nordfrost case (fictional, written for the workbook): datasets/{file}.")  # in the language shown
ENTITY_TEXT = {"client": _l("the client"), "provider": _l("the provider"), "service": _l("the service")}  # what a favoured link leaves aside


class _Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Case):
    item: str
    answer: int
    because: str


class Rating(_Case):
    item: str
    rating: int
    because: str


class CaseM06(_Case):
    offer: str
    triangle_links: list[Answer]
    mixes: dict[str, list[Rating]]


class BillLine(_Case):
    line: str
    amount: int


class Contract(_Case):
    id: str
    label: str
    yearly_fee: int
    per_breakdown: list[BillLine]


class InternalCustomer(_Case):
    team: str
    service: str
    satisfaction: int
    need: str


class CaseM07(_Case):
    contracts: list[Contract]
    cost_per_breakdown: int
    breakdowns: list[int]
    internal_customers: list[InternalCustomer]


class Action(_Case):
    action: str
    layer: Literal["emotional", "needs", "value"]
    control: str


class CaseM08(_Case):
    actions: list[Action]


class Case(_Case):
    case: str
    m06: CaseM06
    m07: CaseM07
    m08: CaseM08


def case() -> Case:
    """The Nordfrost case as modules 6–8 use it, read from ``datasets/`` and validated."""
    return load_model(get_settings().datasets_dir / CASE_FILE, Case, "case")


def _exercise(module_id: str, exercise_id: str):
    return next(e for e in catalogue().module(module_id).exercises if e.id == exercise_id)


def _known(what: str, ids: list[str], allowed: list[str]) -> None:
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        raise ContentError(f"datasets/{CASE_FILE}: {what}: {', '.join(unknown)} not among {', '.join(allowed)}")


def _figure(body: str) -> str:
    return str(render_fragment("figure", body=trusted(body), caption=str(CASE_CAPTION).format(file=CASE_FILE)))


# ---- Module 6: the contract's servuction triangle and its mixes -------------------------------

def case_triangle_answers() -> dict[str, int]:
    """Sam's answers to the module's questionnaire for the Nordfrost contract (``{item: 1–5}``)."""
    inst = catalogue().instrument(catalogue().module("m06").instrument)
    answers = case().m06.triangle_links
    _known("m06.triangle_links item", [a.item for a in answers], [i.id for i in inst.items])
    missing = [i.id for i in inst.items if i.id not in {a.item for a in answers}]
    if missing:
        raise ContentError(f"datasets/{CASE_FILE}: m06.triangle_links: no answer for {', '.join(missing)}")
    return {a.item: a.answer for a in answers}


def case_triangle_scores() -> dict[str, float | None]:
    """The contract's link scores (0–100), scored like any trainee's answers."""
    from workbook.domain.scoring import score

    inst = catalogue().instrument(catalogue().module("m06").instrument)
    return {s.dimension: s.score_100 for s in score(inst, case_triangle_answers())}


def case_mix_fits() -> dict[str, object]:
    """For each link, the fit of Sam's scores with that link's mix (``service_analysis.Fit``)."""
    from workbook.domain.service_analysis import checklist_fit

    module = catalogue().module("m06")
    out = {}
    for link, ex_id in module.results.mixes.items():
        spec = spec_of(_exercise("m06", ex_id))
        ratings = case().m06.mixes.get(ex_id)
        if ratings is None:
            raise ContentError(f"datasets/{CASE_FILE}: m06.mixes: no scores for {ex_id}")
        _known(f"m06.mixes.{ex_id} item", [r.item for r in ratings], [i.id for i in spec.items])
        out[link] = checklist_fit({r.item: r.rating for r in ratings}, [i.id for i in spec.items], max(o.value for o in spec.options))
    return out


def case_triangle_text() -> str:
    """Module 6 worked example: the Nordfrost contract's link scores, favoured link and mix fits."""
    from workbook.domain.service_analysis import dominant_link, left_aside, mix_alignment

    module = catalogue().module("m06")
    labels = module.results.labels
    scores = case_triangle_scores()
    favoured = dominant_link(scores)
    lines = [_("{label}:").format(label=case().m06.offer)]
    lines += [f"  {labels.get(link, link):<13} {format_number(value, 1):>5} / 100" for link, value in scores.items()]
    lines.append("  " + _("favoured link: {link}").format(link=labels.get(favoured, favoured) if favoured else _("none"))
                 + (_("; leaves aside {entity}").format(entity=ENTITY_TEXT[left_aside(favoured)]) if favoured else ""))
    fits = case_mix_fits()
    for link, fit in fits.items():
        lines.append("  " + _("fit with the {link} mix: {percent}% ({rated} of {total} scored); does not fit: {gaps}").format(
            link=labels.get(link, link), percent=f"{format_number(fit.percent, 1):>5}", rated=fit.rated, total=fit.total, gaps=", ".join(fit.gaps) or _("none")))
    best, aligned = mix_alignment(favoured, {k: f.percent for k, f in fits.items()})
    lines.append("  " + _("best-fitting mix: {mix}; same as the favoured link: {same}").format(
        mix=labels.get(best, best) if best else _("none"), same=_("yes") if aligned else _("no")))
    return "\n".join(lines)


def case_triangle_html() -> str:
    """The contract's triangle (the chart a trainee gets) and Sam's answers with the fact behind each."""
    import pandas as pd

    from workbook.domain.service_analysis import dominant_link
    from workbook.render.charts import servuction_triangle, to_svg_cached

    module = catalogue().module("m06")
    inst = catalogue().instrument(module.instrument)
    L = module.results.labels
    scores = case_triangle_scores()
    favoured = dominant_link(scores)
    frame = pd.DataFrame([{"link": k, "label": L.get(k, k), "score_100": v, "favoured": k == favoured} for k, v in scores.items()])
    chart = to_svg_cached(servuction_triangle(frame, {e: L.get(e, e) for e in ("client", "provider", "service")}, _("The Nordfrost contract (link scores 0–100)")))
    anchors = inst.scale.anchors
    rows = [(L.get(inst.item(a.item).dimension, inst.item(a.item).dimension), inst.item(a.item).text, a, anchors.get(a.answer, ""))
            for a in case().m06.triangle_links]
    return _figure(chart + str(render_fragment("case", part="triangle", rows=rows)))


def case_mixes_html() -> str:
    """How the contract fits each link's mix, and the statements it does not fit, with Sam's reasons."""
    L = catalogue().module("m06").results.labels
    fits = case_mix_fits()
    gaps = []
    ranked = sorted(fits, key=lambda k: fits[k].percent or 0, reverse=True)[:2]  # the two best-fitting mixes
    for link, ex_id in catalogue().module("m06").results.mixes.items():
        if link not in ranked:
            continue
        spec = spec_of(_exercise("m06", ex_id))
        texts = {i.id: i.text for i in spec.items}
        gaps += [(L.get(link, link), texts[r.item], r.because) for r in case().m06.mixes[ex_id] if r.item in fits[link].gaps]
    return _figure(render_fragment("case", part="mixes", fits=[(L.get(k, k), f) for k, f in fits.items()], gaps=gaps))


# ---- Module 7: two contracts for one plant; Sam's internal customers -------------------------

def case_contract_table() -> list[tuple[Contract, int, list[int], int]]:
    """Each contract with what one breakdown adds to Polarfix's revenue, its yearly revenue for each
    breakdown count of the case, and what one breakdown adds once Polarfix's own cost is taken off."""
    c = case().m07
    out = []
    for contract in c.contracts:
        per = sum(line.amount for line in contract.per_breakdown)
        out.append((contract, per, [contract.yearly_fee + n * per for n in c.breakdowns], per - c.cost_per_breakdown))
    return out


def case_culture_text() -> str:
    """Module 7 worked example: Polarfix's revenue by breakdowns under each contract, and Sam's
    internal customers by satisfaction with their mean."""
    from workbook.domain.service_analysis import mean_rating

    c = case().m07
    lines = [_("Polarfix's yearly revenue from the Nordfrost plant, by breakdowns in the year ({counts}):").format(counts=", ".join(str(n) for n in c.breakdowns))]
    for contract, per, revenue, net in case_contract_table():
        lines.append(f"  {contract.id:<8} " + _("{revenues}; one breakdown: revenue {per}, after Polarfix's own cost {net}").format(
            revenues=" / ".join(format_number(r) for r in revenue), per=_signed(per), net=_signed(net)))
    rows = [r.model_dump() for r in c.internal_customers]
    mean, n = mean_rating(rows, "satisfaction")
    lines.append(_("Sam's internal customers ({n} rated, mean satisfaction {mean} of 5), least satisfied first:").format(n=n, mean=format_number(mean, 1)))
    lines += [f"  {r['satisfaction']}  " + _("{label}: {text}").format(label=r["team"], text=r["need"]) for r in sorted(rows, key=lambda r: (r["satisfaction"], r["team"]))]
    return "\n".join(lines)


def _signed(n: int) -> str:
    return ("+" if n > 0 else "") + format_number(n)


def case_contracts_html() -> str:
    """The two contracts side by side: revenue per breakdown count and the effect of one breakdown."""
    c = case().m07
    return _figure(render_fragment("case", part="contracts", breakdowns=c.breakdowns, cost=c.cost_per_breakdown, rows=case_contract_table()))


def case_internal_customers_html() -> str:
    """Sam's map of internal customers, shown by the module's own exercise summary."""
    from ..widgets.exercises.rows import rows_summary

    spec = _exercise("m07", "internal_customers")
    cols = [c.id for c in spec_of(spec).columns]
    rows = case().m07.internal_customers
    _known("m07.internal_customers columns", list(InternalCustomer.model_fields), cols)
    saved = {f"{n}.{col}": getattr(r, col) for n, r in enumerate(rows, start=1) for col in cols}
    return _figure(rows_summary(spec, saved, heading=False))  # without the trainee's heading ("Your internal customers"): the section names Sam's


# ---- Module 8: Polarfix's service actions by layer -------------------------------------------

def case_layer_rows() -> list[tuple[str, list[Action]]]:
    """Polarfix's actions for Nordfrost grouped by the layer options of the module's sort, low to high."""
    layer_col = next(c for c in spec_of(_exercise("m08", "layer_sort")).columns if c.id == "layer")
    actions = case().m08.actions
    _known("m08.actions layer", [a.layer for a in actions], [str(o.value) for o in layer_col.options])
    return [(o.label, [a for a in actions if a.layer == o.value]) for o in layer_col.options]


def case_essence_text() -> str:
    """Module 8 worked example: Polarfix's actions beyond the contract, counted and listed by layer."""
    groups = case_layer_rows()
    total = sum(len(g) for _label, g in groups)
    lines = [_("Polarfix's service actions for Nordfrost beyond the contract: {total}").format(total=total)]
    for label, group in groups:
        lines.append(f"  {label:<16} {len(group):2d}  ({format_percentage(len(group) / total, 1):>5})")
        lines += [f"    - {a.action} [{a.control}]" for a in group]
    return "\n".join(lines)


def case_essence_html() -> str:
    """The actions by layer as a table and a bar chart (the same chart as a trainee's own sort)."""
    import pandas as pd

    from workbook.render.charts import category_counts, to_svg_cached

    groups = case_layer_rows()
    sort = spec_of(_exercise("m08", "layer_sort"))
    table = str(render_fragment("case", part="layers", groups=groups))
    frame = pd.DataFrame([{"label": label, "count": len(group)} for label, group in groups])
    return _figure(table + to_svg_cached(category_counts(frame, _("Polarfix's actions for Nordfrost by layer"), sort.chart_axis)))


CASE_FIGURES: dict[str, Callable[[], str]] = {
    "case_triangle": case_triangle_html,
    "case_mixes": case_mixes_html,
    "case_contracts": case_contracts_html,
    "case_internal_customers": case_internal_customers_html,
    "case_layers": case_essence_html,
}


def glossary_text() -> str:
    """Which concepts of the inventory (C1–C23) the glossary explains, and with how many terms each."""
    per: Counter[str] = Counter(c for e in catalogue().glossary for c in e.concepts)
    concepts = [f"C{n}" for n in range(1, 24)]
    missing = [c for c in concepts if not per[c]]
    lines = [_("Concepts with a glossary term: {found} of {total}").format(found=len(concepts) - len(missing), total=len(concepts))
             + (_(" (missing: {concepts})").format(concepts=", ".join(missing)) if missing else "")]
    lines.append(_("Terms on the servuction triangle (C12-C15): {terms}").format(terms=", ".join(sorted(e.term for e in catalogue().glossary if set(e.concepts) & {"C12", "C13", "C14", "C15"}))))
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
    lines.append(_("Other references: {references}").format(references=", ".join(others)))
    return "\n".join(lines)
