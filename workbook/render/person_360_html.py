"""HTML views of the manager-profile results: profile placement, 360 feedback, rounds, pulse, attempts.

Each renders plain data (escaped, charts as inline SVG); pages and reports call them.
"""
from __future__ import annotations

from collections.abc import Mapping

from workbook.analysis.person_360 import CATEGORY_TEXT, PROFILE_TEXT, not_rated_lines, placement_of, raters_placement
from workbook.content.catalogue import Instrument
from workbook.domain.feedback360 import BLIND_SPOT, HIDDEN_STRENGTH, Feedback, RaterResponse
from workbook.domain.profiles import BALANCED, GENERALIST, NOT_ENOUGH, TECHNICAL
from workbook.domain.scoring import score
from workbook.i18n import _, _l
from workbook.render.fragments import render_fragment, trusted

YOU_TEXT = {TECHNICAL: _l("You are closer to the technical and operational profile"),
            GENERALIST: _l("You are closer to the marketing and leadership profile"), BALANCED: _l("You are between the two profiles")}


def placement_html(instrument: Instrument, answers: Mapping[str, object], spec: Mapping | None = None, feedback: Feedback | None = None) -> str:
    """Where the person stands, with strengths and gaps, and a line chart of the position."""
    import pandas as pd

    from workbook.render.charts import profile_position, to_svg  # Altair and pandas when a chart is drawn

    p = placement_of(instrument, answers, spec)
    if p.profile == NOT_ENOUGH:
        return str(render_fragment("placement", not_enough=True))
    rows = [{"who": "Self", "position": p.position}]
    others = raters_placement(instrument, feedback, spec) if feedback is not None else None
    if others is not None:
        rows.append({"who": "All raters", "position": others.position})
    chart = trusted(to_svg(profile_position(pd.DataFrame(rows))))
    return str(render_fragment("placement", not_enough=False, p=p, lean=round(p.position), others=others, chart=chart,
                               you=YOU_TEXT, profiles=PROFILE_TEXT))


def feedback_html(fb: Feedback, counts: Mapping[str, tuple[int, int]] | None = None, gap: float = 1.0) -> str:
    """Self vs each category per dimension, blind spots and hidden strengths, comments, dot plot."""
    from workbook.render.charts import feedback_dots, to_svg

    frame = fb.frame()
    chart = trusted(to_svg(feedback_dots(frame, fb.points))) if len(frame) and (frame["who"] != "Self").any() else ""
    return str(render_fragment(
        "feedback_360", fb=fb, cats=list(fb.categories), counts=counts or {}, gap=gap, labels=CATEGORY_TEXT, not_enough=_("not enough raters"),
        unrated=not_rated_lines(fb), chart=chart,
        blind=[d.label for d in fb.dimensions if d.flag == BLIND_SPOT], hidden=[d.label for d in fb.dimensions if d.flag == HIDDEN_STRENGTH],
    ))


def round_html(rounds, settings) -> str:
    """Where the person's feedback rounds stand: dates and response counts only (never results, never who)."""
    if not rounds:
        return str(render_fragment("person_360", part="no_round"))
    return str(render_fragment("rounds", rounds=rounds[-3:], labels=CATEGORY_TEXT))


def pulse_html(db, identity, person_id: int, instrument: Instrument) -> str:
    """Before/after per targeted behaviour from the latest closed pulse round ('' when there is none)."""
    from workbook.domain.feedback360 import pulse_compare
    from workbook.store import pulse_responses

    got = pulse_responses(db, identity, person_id, instrument.id)
    if got is None:
        return ""
    items, before, after = got
    rows = pulse_compare(instrument, items, [RaterResponse(**r) for r in before], [RaterResponse(**r) for r in after], db.settings.anonymity_threshold)
    return str(render_fragment("pulse", rows=rows, points=instrument.scale.points, threshold=db.settings.anonymity_threshold))


def attempts_html(instrument: Instrument, attempts: Mapping[int, Mapping[str, object]]) -> str:
    """Each attempt's dimension scores (0–100) side by side, with a line chart when there are two or more."""
    import pandas as pd

    from workbook.render.charts import attempts_lines, to_svg

    done = {n: a for n, a in attempts.items() if a}
    if not done:
        return str(render_fragment("person_360", part="no_attempt"))
    rows, table_rows = [], []
    scored = {n: score(instrument, a) for n, a in done.items()}
    for k, dim in enumerate(instrument.dimensions):
        values = [sc[k].score_100 for sc in scored.values()]
        rows += [{"attempt": n, "dimension": dim.label, "score_100": v} for n, v in zip(scored, values)]
        table_rows.append((dim.label, values))
    out = str(render_fragment("attempts", attempts=list(done), rows=table_rows))
    frame = pd.DataFrame(rows)
    if len(done) >= 2 and frame["score_100"].notna().any():
        out += to_svg(attempts_lines(frame))
    return out
