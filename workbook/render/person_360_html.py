"""HTML views of the manager-profile results: profile placement, 360 feedback, rounds, pulse, attempts.

Each renders plain data (escaped, charts as inline SVG); pages and reports call them.
"""
from __future__ import annotations

from collections.abc import Mapping

from workbook.analysis.person_360 import not_rated_lines, placement_of, raters_placement
from workbook.content.catalogue import Instrument
from workbook.domain.feedback360 import BLIND_SPOT, CATEGORY_LABELS, HIDDEN_STRENGTH, NOT_ENOUGH_RATERS, Feedback, RaterResponse
from workbook.domain.profiles import NOT_ENOUGH
from workbook.domain.scoring import score
from workbook.render.charts import attempts_lines, feedback_dots, profile_position, to_svg
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import esc as _esc


def placement_html(instrument: Instrument, answers: Mapping[str, object], spec: Mapping | None = None, feedback: Feedback | None = None) -> str:
    """Where the person stands, with strengths and gaps, and a line chart of the position."""
    import pandas as pd

    p = placement_of(instrument, answers, spec)
    if p.profile == NOT_ENOUGH:
        return '<p class="wb-muted">Answer at least two thirds of the statements of each dimension to see where you stand.</p>'
    lean = f"{abs(p.position):.0f} points towards the {'marketing and leadership' if p.position > 0 else 'technical and operational'} side" if round(p.position) else "exactly in the middle"
    parts = [
        f"<p><b>You are {_esc(p.profile if p.profile.startswith('between') else 'closer to the ' + p.profile)}</b> "
        f"(technical and operational {p.technical:.0f}/100, marketing and leadership {p.generalist:.0f}/100: {lean}).</p>",
        "<p><b>Strengths:</b> " + (_esc(", ".join(p.strengths)) if p.strengths else "none at 70/100 or above yet") + "<br>"
        "<b>Gaps to work on:</b> " + (_esc(", ".join(p.gaps)) if p.gaps else "none under 50/100") + "</p>",
    ]
    rows = [{"who": "Self", "position": p.position}]
    if feedback is not None:
        others = raters_placement(instrument, feedback, spec)
        if others is not None:
            rows.append({"who": "All raters", "position": others.position})
            parts.append(f"<p>Your raters, taken together, place you at {others.position:+.0f} ({_esc(others.profile)}).</p>")
    parts.append(to_svg(profile_position(pd.DataFrame(rows))))
    return "".join(parts)


def feedback_html(fb: Feedback, counts: Mapping[str, tuple[int, int]] | None = None, gap: float = 1.0) -> str:
    """Self vs each category per dimension, blind spots and hidden strengths, comments, dot plot."""
    frame = fb.frame()
    chart = trusted(to_svg(feedback_dots(frame, fb.points))) if len(frame) and (frame["who"] != "Self").any() else ""
    return str(render_fragment(
        "feedback_360", fb=fb, cats=list(fb.categories), counts=counts or {}, gap=gap, labels=CATEGORY_LABELS, not_enough=NOT_ENOUGH_RATERS,
        unrated=not_rated_lines(fb), chart=chart,
        blind=[d.label for d in fb.dimensions if d.flag == BLIND_SPOT], hidden=[d.label for d in fb.dimensions if d.flag == HIDDEN_STRENGTH],
    ))


def round_html(rounds, settings) -> str:
    """Where the person's feedback rounds stand: dates and response counts only (never results, never who)."""
    if not rounds:
        return '<p class="wb-muted">No feedback round yet: nominate your raters above.</p>'
    parts = []
    for r in rounds[-3:]:
        kind = "Follow-up (pulse) round" if r.kind == "pulse" else "Feedback round"
        when = (f"closed on {r.closed_at:%Y-%m-%d}" if r.closed_at else f"closed on {r.closes_on.isoformat()}") if r.closed else (
            f"open until {r.closes_on.isoformat()}" if r.closes_on else "open")
        invited, answered = r.total
        per = " · ".join(f"{_esc(CATEGORY_LABELS.get(c, c))} {r.answered.get(c, 0)} of {n}" for c, n in r.invited.items() if n)
        tail = "" if r.closed else " Results appear once the round closes (on that date, or earlier when your coach closes it), never answer by answer."
        parts.append(f"<li><b>{kind}</b> opened {r.opened_at:%Y-%m-%d}, {when}: {answered} of {invited} invited raters answered"
                     f"{' (' + per + ')' if per else ''}.{tail}</li>")
    return f"<ul>{''.join(parts)}</ul>"


def pulse_html(db, identity, person_id: int, instrument: Instrument) -> str:
    """Before/after per targeted behaviour from the latest closed pulse round ('' when there is none)."""
    from workbook.domain.feedback360 import pulse_compare
    from workbook.store import pulse_responses

    got = pulse_responses(db, identity, person_id, instrument.id)
    if got is None:
        return ""
    items, before, after = got
    rows = pulse_compare(instrument, items, [RaterResponse(**r) for r in before], [RaterResponse(**r) for r in after], db.settings.anonymity_threshold)
    body = "".join(
        f"<tr><td>{_esc(p.text)}</td><td>{p.before:.2f}</td><td>{p.after:.2f}</td><td>{p.change:+.2f}</td></tr>" if p.change is not None
        else f'<tr><td>{_esc(p.text)}</td><td colspan="3" class="wb-muted">{_esc(p.reason)}</td></tr>'
        for p in rows
    )
    return (f"<h3>Follow-up: the behaviours of your action plan, before and after</h3>"
            f'<table class="wb-table wb-pulse"><tr><th>Behaviour</th><th>Before</th><th>After</th><th>Change</th></tr>{body}</table>'
            f'<p class="wb-muted">Means of your raters (1–{instrument.scale.points}, higher is better; reverse-worded statements turned round); '
            f"a group of raters counts only when at least {db.settings.anonymity_threshold} of them answered the statement.</p>")


def attempts_html(instrument: Instrument, attempts: Mapping[int, Mapping[str, object]]) -> str:
    """Each attempt's dimension scores (0–100) side by side, with a line chart when there are two or more."""
    import pandas as pd

    done = {n: a for n, a in attempts.items() if a}
    if not done:
        return '<p class="wb-muted">No attempt yet.</p>'
    rows, table_rows = [], []
    head = "".join(f"<th>Attempt {n}</th>" for n in done)
    scored = {n: score(instrument, a) for n, a in done.items()}
    for k, dim in enumerate(instrument.dimensions):
        cells = []
        for n, sc in scored.items():
            v = sc[k].score_100
            rows.append({"attempt": n, "dimension": dim.label, "score_100": v})
            cells.append(f"<td>{v:.0f}</td>" if v is not None else '<td class="wb-muted">not enough answers</td>')
        table_rows.append(f"<tr><td>{_esc(dim.label)}</td>{''.join(cells)}</tr>")
    out = f'<table class="wb-table"><tr><th>Dimension (0–100)</th>{head}</tr>{"".join(table_rows)}</table>'
    frame = pd.DataFrame(rows)
    if len(done) >= 2 and frame["score_100"].notna().any():
        out += to_svg(attempts_lines(frame))
    return out
