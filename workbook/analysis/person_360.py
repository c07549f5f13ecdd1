"""Results of the manager-profile instrument: profile placement, 360 feedback, attempts.

The ``*_for`` functions fetch what they need from the store for the signed-in person; the ``*_text``
functions give plain text (notebooks, reports). Their HTML views are in ``workbook.render.person_360_html``.
"""
from __future__ import annotations

from collections.abc import Mapping

from workbook.content.catalogue import Instrument
from workbook.domain.feedback360 import CATEGORY_LABELS, Feedback, RaterResponse, compare
from workbook.domain.profiles import BALANCED, GENERALIST, NOT_ENOUGH, TECHNICAL, Placement, place
from workbook.domain.scoring import DimensionScore, score
from workbook.i18n import _, _l, format_number

# The rater groups as the pages and texts say them, in the language shown (the domain's CATEGORY_LABELS are English keys).
CATEGORY_TEXT = {"self": _l("Self"), "manager": _l("Manager"), "peer": _l("Peers"), "direct_report": _l("Direct reports"),
                 "client": _l("Clients"), "all": _l("All raters")}
assert set(CATEGORY_TEXT) == set(CATEGORY_LABELS)
# The manager profiles (workbook.domain.profiles' placements) as the results say them, in the language shown.
PROFILE_TEXT = {TECHNICAL: _l("technical and operational profile"), GENERALIST: _l("marketing and leadership profile"),
                BALANCED: _l("between the two profiles"), NOT_ENOUGH: _l("not enough answers")}
FLAG_TEXT = {"blind spot": _l("blind spot"), "hidden strength": _l("hidden strength")}
DEFAULT_POLES = {"technical": ["technical", "operational"], "generalist": ["marketing", "leadership"]}


def _poles(spec: Mapping | None) -> dict:
    return dict((spec or {}).get("poles") or DEFAULT_POLES)


def placement_of(instrument: Instrument, answers: Mapping[str, object], spec: Mapping | None = None) -> Placement:
    """The person's placement between the two profiles from their answers."""
    spec = spec or {}
    kw = {k: float(spec[k]) for k in ("strength_at", "gap_below", "balanced_within") if k in spec}
    return place(score(instrument, answers), _poles(spec), **kw)


def raters_placement(instrument: Instrument, fb: Feedback, spec: Mapping | None) -> Placement | None:
    """The placement seen by all raters together (shown cells only), or None when not shown."""
    points = instrument.scale.points
    scores = []
    for d in fb.dimensions:
        m = d.cells["all"].mean
        scores.append(DimensionScore(d.dimension, d.label, m, (m - 1) / (points - 1) * 100 if m is not None else None, 0, 0))
    p = place(scores, _poles(spec))
    return p if p.position is not None else None


def feedback_for(db, identity, person_id: int, instrument: Instrument, seed: int | None = None) -> tuple[Feedback, dict[str, tuple[int, int]]]:
    """The person's 360 comparison under the settings' anonymity rules, and per-category response counts."""
    from workbook.store import current_answers, feedback_responses, response_counts

    st = db.settings
    responses = [RaterResponse(**r) for r in feedback_responses(db, identity, person_id, instrument.id)]
    fb = compare(
        instrument,
        current_answers(db, identity, person_id, instrument.id),
        responses,
        threshold=st.anonymity_threshold,
        blind_spot_gap=st.blind_spot_gap,
        manager_shown_alone=st.manager_shown_alone,
        seed=seed,
        comment_threshold=st.comment_threshold,
    )
    return fb, response_counts(db, identity, person_id, instrument.id)


def profile_text(instrument: Instrument, answers: Mapping[str, object], spec: Mapping | None = None) -> str:
    """The placement as one line of text (notebooks, reports)."""
    p = placement_of(instrument, answers, spec)
    if p.position is None:
        return str(PROFILE_TEXT[NOT_ENOUGH])
    return _("{profile}: position {position} (technical {technical}, generalist {generalist}); strengths: {strengths}; gaps: {gaps}").format(
        profile=PROFILE_TEXT.get(p.profile, p.profile), position=f"{p.position:+.0f}", technical=f"{p.technical:.0f}", generalist=f"{p.generalist:.0f}",
        strengths=", ".join(p.strengths) or _("none"), gaps=", ".join(p.gaps) or _("none"))


def not_rated_lines(fb: Feedback) -> list[str]:
    """One sentence per rater category that has dimensions it does not judge (and so no figure for)."""
    labels = {d.dimension: d.label for d in fb.dimensions}
    groups = {"manager": _l("Managers"), "peer": _l("Peers"), "direct_report": _l("Direct reports"), "client": _l("Clients")}
    return [
        _("{group} are not asked about {dimensions}: they cannot observe it, so those statements are not on their page "
          "and there is no figure from them.").format(group=groups.get(c, CATEGORY_LABELS.get(c, c)), dimensions=", ".join(labels.get(d, d) for d in dims))
        for c, dims in fb.not_rated.items()
    ]


def feedback_text(fb: Feedback) -> str:
    """The 360 comparison as a plain-text table (notebooks, reports)."""
    cols = ["self", *fb.categories, "all"]
    lines = [_("dimension").ljust(34) + "".join(str(CATEGORY_TEXT.get(c, c))[:14].rjust(15) for c in cols) + "  " + _("flag")]
    for d in fb.dimensions:
        vals = [format_number(d.self_mean, 2) if d.self_mean is not None else "—"]
        vals += [("*" if c not in d.cells else format_number(d.cells[c].mean, 2) if d.cells[c].shown else _("n/a")) for c in cols[1:]]
        lines.append(d.label.ljust(34) + "".join(v.rjust(15) for v in vals) + f"  {FLAG_TEXT.get(d.flag, d.flag)}")
    for c, info in fb.categories.items():
        if not info["shown"]:
            lines.append(_("{label}: {text}").format(label=CATEGORY_TEXT.get(c, c), text=info["reason"]))
    lines += [f"* {line}" for line in not_rated_lines(fb)]
    return "\n".join(lines)
