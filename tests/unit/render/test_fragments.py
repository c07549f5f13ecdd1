"""The HTML layer (workbook.render.fragments): every template escapes every text it is given, and a
variable a template names but nobody passed is an error, not an empty string."""
from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser
from types import SimpleNamespace as NS

import jinja2
import pytest
from markupsafe import Markup

from workbook.analysis.cohort_scores import ChoiceTally, DimensionSpread, KeyAgreement
from workbook.domain.action_plan import Action
from workbook.domain.feedback360 import Cell, DimensionResult, Feedback
from workbook.domain.scoring import DimensionScore
from workbook.render.fragments import environment, fragment_names, render_fragment
from workbook.render.html import short
from workbook.store.raters import IssuedCode

HOSTILE = '<script>alert(1)</script> "onmouseover=alert(1) x=\' {{7*7}} {% if 1 %}'


def _rel(low: bool):
    item = NS(item=HOSTILE, item_total_r=0.1)
    return NS(scale=HOSTILE, label=HOSTILE, ci_label=HOSTILE, n=3, missing_answers=1, low=low, items=(item,))


def _contexts() -> dict[str, dict]:
    """A realistic context per template, a hostile string in every text field."""
    module = NS(id="m01", number=1, title=HOSTILE)
    shown = DimensionSpread("d1", HOSTILE, 5, True, (10.0, 90.0), 50.0, 50.0, 10.0, 90.0)
    hidden = DimensionSpread("d2", HOSTILE, 2, False, (), None, None, None, None)
    note = NS(session=date(2026, 1, 2), created_at=datetime(2026, 1, 1), shared=True, fields={"goal": HOSTILE, HOSTILE: HOSTILE})
    private = NS(session=None, created_at=datetime(2026, 1, 1), shared=False, fields={"reality": HOSTILE})
    action = Action(id="a1", text=HOSTILE, owner=HOSTILE, measure=HOSTILE, due=date(2026, 1, 1), status=HOSTILE, comment=HOSTILE,
                    follow_up=HOSTILE, behaviours=["b1", HOSTILE])
    fb = Feedback(instrument="i", points=5, threshold=3, comments=[HOSTILE],
                  categories={"peer": {"answered": 3, "shown": True, "reason": ""}, HOSTILE: {"answered": 1, "shown": False, "reason": HOSTILE}},
                  dimensions=[DimensionResult("d1", HOSTILE, 4.0, {"all": Cell("all", "d1", None, 1, HOSTILE), "peer": Cell("peer", "d1", 3.0, 3)},
                                              1.0, HOSTILE),
                              DimensionResult("d2", HOSTILE, None, {"all": Cell("all", "d2", 3.0, 3)}, None, "")])
    stats = NS(people=5, threshold=3, reason="", earlier_version=1)
    return {
        "badge": {"text": HOSTILE, "kind": HOSTILE},
        "chart_label": {"part": "attributes", "label": HOSTILE},
        "spread_table": {"module": module, "instrument": NS(title=HOSTILE), "spreads": [shown, hidden], "threshold": 3,
                         "answered": 5, "chart": HOSTILE, "after": HOSTILE},
        "notes": {"notes": [note, private], "sharing": True, "empty": HOSTILE, "labels": {"goal": HOSTILE}},
        "progress_matrix": {"modules": [module], "rows": [{"name": HOSTILE, "status": {"m01": HOSTILE}, "last": None}]},
        "reliability_table": {"rows": [_rel(False)], "caption": HOSTILE},
        "stats_table": {"title": HOSTILE, "stats": stats, "earlier": HOSTILE,
                        "rows": [(_rel(True), NS(mean=None, reason=HOSTILE, sd=None), HOSTILE)]},
        "key_agreement": {"module": module, "threshold": 3,
                          "agree": KeyAgreement("ex", HOSTILE, 5, True, 60.0, ((HOSTILE, HOSTILE, 1, 5),))},
        "choice_tally": {"module": module, "threshold": 3, "chart": HOSTILE,
                         "tally": ChoiceTally("ex", HOSTILE, "people", 5, True, ((HOSTILE, 5),))},
        "plans_overview": {"rows": [(HOSTILE, {"total": 3, "done": 1, "in_progress": 1, "overdue": 1})]},
        "plan_table": {"actions": [action, Action(id="a2", text=HOSTILE, owner=HOSTILE, measure=HOSTILE, due=None, status="planned",
                                                  comment="", follow_up=HOSTILE)],
                       "as_of": date(2026, 3, 1), "targets": {"b1": HOSTILE}, "report": False, "labels": {"done": HOSTILE}, "short": short},
        "report_head": {"kind": HOSTILE, "title": HOSTILE, "cohort": HOSTILE, "facts": [HOSTILE, HOSTILE]},
        "module_completion": {"modules": [module], "status": {"m01": HOSTILE}},
        "cohort_completion": {"modules": [(module, 1, 1, 1)], "people": [(HOSTILE, 1, None), (HOSTILE, 0, datetime(2026, 1, 1))]},
        "person_scores": {"result": NS(module=module, instrument=NS(title=HOSTILE, scale=NS(points=5)), overall=50.0,
                                       scores=[DimensionScore("d1", HOSTILE, 3.0, 50.0, 3, 3), DimensionScore("d2", HOSTILE, None, None, 0, 3)]),
                          "means": {"d1": 40.0}, "note": HOSTILE, "chart": HOSTILE, "languages": HOSTILE},
        "feedback_summary": {"title": HOSTILE, "hidden": 1, "total": 2, "reliability": HOSTILE, "fb": fb},
        "feedback_360": {"fb": fb, "cats": ["peer", HOSTILE], "counts": {"peer": (4, 3)}, "gap": 1.0, "labels": {"peer": HOSTILE},
                         "not_enough": HOSTILE, "unrated": [HOSTILE, HOSTILE], "chart": HOSTILE, "blind": [HOSTILE], "hidden": [HOSTILE]},
        "rounds": {"labels": {"peer": HOSTILE}, "rounds": [
            NS(kind=HOSTILE, opened_at=datetime(2026, 1, 1), closed=False, closed_at=None, closes_on=None, total=(4, 3),
               invited={"peer": 3, HOSTILE: 1}, answered={"peer": 2}),
            NS(kind="pulse", opened_at=datetime(2026, 1, 1), closed=True, closed_at=datetime(2026, 2, 1), closes_on=None, total=(1, 1),
               invited={HOSTILE: 1}, answered={HOSTILE: 1})]},
        "pulse": {"points": 5, "threshold": 3, "rows": [NS(text=HOSTILE, before=2.0, after=3.5, change=1.5, reason=""),
                                                         NS(text=HOSTILE, before=None, after=None, change=None, reason=HOSTILE)]},
        "attempts": {"attempts": [1, 2], "rows": [(HOSTILE, [40.0, None])]},
        "rater_table": {"issued": True, "categories": {"peer": HOSTILE}, "rows": [
            IssuedCode(1, HOSTILE, HOSTILE, "peer", "coach", code=HOSTILE), IssuedCode(2, HOSTILE, HOSTILE, HOSTILE, "failed", error=HOSTILE)]},

        "cite": {"lead": HOSTILE, "author": HOSTILE, "title": HOSTILE, "where": HOSTILE},
        "guide_live": _variants("guide_live")[0],
        "guide_timing": {"timing": HOSTILE, "after": HOSTILE, "plan": NS(session_minutes=20, after_minutes=10, steps=[
            NS(label=HOSTILE, minutes=10, in_session=True), NS(label=HOSTILE, minutes=10, in_session=False)])},
        "guide_module": {"module": module, "labels": {"live": HOSTILE}, "handout_link": HOSTILE, "timing": HOSTILE, "cite": lambda x: x.where,
                         "guide": NS(key_messages=[NS(text=HOSTILE, where=HOSTILE)], debrief=[NS(question=HOSTILE, uses=HOSTILE)],
                                     misconceptions=[NS(claim=HOSTILE, answer=HOSTILE, source="s1", where=HOSTILE)]),
                         "live": {HOSTILE: NS(html=HOSTILE)}},
        "guide_statements": {"labels": {"key": HOSTILE}, "intro": HOSTILE,
                             "rows": [(NS(id=HOSTILE, why=HOSTILE, other_side=HOSTILE), NS(text=HOSTILE, key=HOSTILE))]},
        "guide": {"title": HOSTILE, "cohort": HOSTILE, "intro": HOSTILE, "modules": [HOSTILE], "statements": HOSTILE},
        "quiz_scores": {"labels": {"concept": HOSTILE}, "modules": {HOSTILE: HOSTILE},
                        "scores": [NS(concept=HOSTILE, right=1, asked=2, percent=50.0)], "total": NS(right=1, asked=2, percent=50.0)},
        "quiz_feedback": {"labels": {"right": HOSTILE, "no_answer": HOSTILE}, "questions": [
            {"n": 1, "stem": HOSTILE, "ok": False, "chosen": NS(text=HOSTILE, feedback=HOSTILE), "key": NS(text=HOSTILE, feedback=HOSTILE),
             "citation": HOSTILE, "concept_tag": HOSTILE, "your_answer": HOSTILE, "keyed": HOSTILE},
            {"n": 2, "stem": HOSTILE, "ok": True, "chosen": None, "key": NS(text=HOSTILE, feedback=HOSTILE),
             "citation": HOSTILE, "concept_tag": HOSTILE, "your_answer": HOSTILE, "keyed": HOSTILE}]},
        "quiz_gain": {"labels": {"concept": HOSTILE}, "modules": {HOSTILE: HOSTILE}, "rows": [
            NS(concept=HOSTILE, gain=None, reason=HOSTILE), NS(concept=HOSTILE, gain=10.0, before=40.0, after=50.0, reason="")]},
        "quiz_sections": _variants("quiz_sections")[0],
        "module_teaching": {"objectives": [HOSTILE], "sections": [
            {"heading": HOSTILE, "mark": HOSTILE, "text": HOSTILE, "figure": HOSTILE, "own": False, "cite": HOSTILE},
            {"heading": HOSTILE, "mark": "", "text": HOSTILE, "figure": "", "own": True, "cite": ""}]},
        "module_scores": {"head": HOSTILE, "points": 5, "after": None,
                          "scores": [DimensionScore("d1", HOSTILE, 3.0, 50.0, 3, 3), DimensionScore("d2", HOSTILE, None, None, 0, 3)]},
        "module_overall": {"label": HOSTILE, "total": 50.0},
        "module_triangle": {"chart": HOSTILE, "labels": {"mix_heading": HOSTILE, HOSTILE: HOSTILE}, "incomplete": False, "favoured": "x",
                            "favoured_text": HOSTILE, "fits": {HOSTILE: 50.0, "y": None}, "aligned": False, "verdict": HOSTILE},
        "module_page": _variants("module_page")[0],
        "section": {"title": HOSTILE, "body": HOSTILE, "css": HOSTILE},
        "back_home": {},
        "report_texts": _variants("report_texts")[0],
        "path": _variants("path")[0],
        "home": _variants("home")[0],
        "reference": _variants("reference")[0],
        "case": _variants("case")[0],
        "figure": {"body": HOSTILE, "caption": HOSTILE},
        "placement": _variants("placement")[0],
        "person_360": {"part": "no_round"},
        "coach_page": _variants("coach_page")[0],
        "coach_raters_page": {"part": "issued", "by_mail": False, "table": HOSTILE},
        "quiz_page": _variants("quiz_page")[0],
        "coach_path": _variants("coach_path")[0],
        "rater_page": {"part": "intro", "subject": HOSTILE},
        "shell": _variants("shell")[0],
        "statistics": {"blocks": [(NS(title=HOSTILE), HOSTILE)]},
        "handout_page": {"part": "pdf", "module": NS(id=HOSTILE), "href": HOSTILE, "label": HOSTILE},
        "hr_page": _variants("hr_page")[0],
        "handout": _variants("handout")[0],
        "widget": _variants("widget")[0],
        "exercise": _variants("exercise")[0],
        "busy_page": {"language": HOSTILE},
        "exercise_results": _variants("exercise_results")[0],
        "journey": _variants("journey")[0],
    }


STEP = NS(kind="do", label=HOSTILE, in_session=True, minutes=5)


def _variants(name: str) -> list[dict]:
    """Every part of the templates that hold several parts, a hostile string in every text field."""
    module = NS(id=HOSTILE, number=1, title=HOSTILE, takeaway=HOSTILE, concepts=[HOSTILE])
    return {
        "guide_live": [
            {"kind": "spreads", "hidden": HOSTILE, "items": [NS(label=HOSTILE, n=3, shown=True, mean=50.0), NS(label=HOSTILE, n=1, shown=False)]},
            {"kind": "hidden", "people": 2, "answered": HOSTILE, "hidden": HOSTILE},
            {"kind": "agreement", "people": 5, "answered": HOSTILE, "share": 60.0, "key": HOSTILE, "hardest": [(HOSTILE, HOSTILE, 1, 5)]},
            {"kind": "tally", "people": 5, "answered": HOSTILE, "counts": [(HOSTILE, 5)]},
            {"kind": "people", "people": 2, "answered": HOSTILE, "shown": False, "hidden": HOSTILE},
        ],
        "quiz_sections": [
            {"kind": "results", "labels": {"results_heading": HOSTILE}, "scores": HOSTILE, "feedback": HOSTILE},
            {"kind": "learned", "labels": {"learned_intro": HOSTILE}, "table": HOSTILE, "chart": HOSTILE},
            {"kind": "cohort", "labels": {"cohort_heading": HOSTILE}, "heading": True, "counts": HOSTILE, "hidden": True,
             "reason": HOSTILE, "table": HOSTILE},
            {"kind": "cohort", "labels": {"cohort_intro": HOSTILE}, "heading": False, "counts": HOSTILE, "hidden": False,
             "table": HOSTILE, "chart": HOSTILE},
        ],
        "report_texts": [
            {"part": "journey", "lines": [HOSTILE]},
            {"part": "plan_head", "c": {"total": 1, "done": 1, "in_progress": 0, "planned": 0, "dropped": 0, "overdue": 0},
             "as_of": date(2026, 1, 1), "smart": HOSTILE},
            {"part": "alpha_reason", "reason": HOSTILE},
            {"part": "unreadable", "count": HOSTILE},
            {"part": "plans_hidden", "people": HOSTILE, "threshold": 3},
            {"part": "plans_summary", "people": HOSTILE, "total_people": 5, "as_of": date(2026, 1, 1),
             "c": {"total": 1, "done": 1, "in_progress": 0, "planned": 0, "dropped": 0, "overdue": 0}},
        ],
        "path": [
            {"part": "summary", "labels": {"minutes": HOSTILE, "your_path": HOSTILE}, "workshop": True,
             "path": NS(id=HOSTILE, title=HOSTILE, summary=HOSTILE), "left": NS(session_left=1, session_total=2, after_left=1, after_total=2),
             "rows": [(NS(module=module, session_minutes=5, after_minutes=5), NS(session_left=1, after_left=1))]},
            {"part": "badge", "labels": {"in_session": HOSTILE, "done": HOSTILE}, "workshop": True, "step": STEP, "done": True},
            {"part": "mark", "labels": {"in_session": HOSTILE}, "workshop": False, "ex_id": HOSTILE, "step": STEP, "done": False},
            {"part": "box", "labels": {"after": HOSTILE}, "workshop": True, "head": HOSTILE, "plan": NS(session_minutes=5, after_minutes=5),
             "kinds": {"do": HOSTILE}, "rows": [(STEP, True, HOSTILE), (STEP, False, "")]},
        ],
        "home": [
            {"part": "welcome", "person": HOSTILE},
            {"part": "staff_link", "href": HOSTILE, "label": HOSTILE},
            {"part": "modules", "rows": [(NS(number=1, title=HOSTILE, concepts=[HOSTILE]), HOSTILE, HOSTILE), (module, "x", None)]},
        ],
        "reference": [
            {"part": "glossary", "labels": {k: HOSTILE for k in ("term", "meaning", "concepts", "module")},
             "rows": [(NS(term=HOSTILE, definition=HOSTILE, concepts=[HOSTILE]), [NS(notebook=HOSTILE, number=1)])]},
            {"part": "citation", "labels": {"used_for": HOSTILE}, "seed": HOSTILE,
             "s": NS(author=HOSTILE, title=HOSTILE, publisher=HOSTILE, date=HOSTILE, where=HOSTILE, note=HOSTILE, seed_file=HOSTILE)},
            {"part": "sources", "labels": {"cited_in": HOSTILE, "module": "Module {number}"},
             "items": [(HOSTILE, HOSTILE, [NS(notebook=HOSTILE, number=1)])]},
            {"part": "page", "intro": HOSTILE, "body": HOSTILE},
        ],
        "case": [
            {"part": "triangle", "rows": [(HOSTILE, HOSTILE, NS(answer=4, because=HOSTILE), HOSTILE)]},
            {"part": "mixes", "fits": [(HOSTILE, NS(percent=50.0, rated=2, total=3))], "gaps": [(HOSTILE, HOSTILE, HOSTILE)]},
            {"part": "contracts", "breakdowns": [2, 6], "cost": 1500, "rows": [
                (NS(label=HOSTILE, per_breakdown=[NS(line=HOSTILE)]), 800, [10000, 13200], -700)]},
            {"part": "layers", "groups": [(HOSTILE, [NS(action=HOSTILE, control=HOSTILE)])]},
        ],
        "placement": [
            {"not_enough": False, "lean": lean, "chart": HOSTILE, "others": NS(position=10.0, profile=HOSTILE), "you": {}, "profiles": {},
             "p": NS(profile=HOSTILE, technical=40.0, generalist=60.0, position=20.0 * lean, strengths=[HOSTILE], gaps=[HOSTILE])}
            for lean in (1, 0, -1)
        ],
        "coach_page": [
            {"part": "stamp", "time": HOSTILE, "answers": HOSTILE},
            {"part": "cohort_state", "info": {"name": HOSTILE, "trainee": 1, "coach": 1, "hr": 1, "closed": False}},
            {"part": "code", "person": HOSTILE, "code": HOSTILE},
        ],
        "quiz_page": [
            {"part": "question", "n": 1, "q": NS(stem=HOSTILE), "tag": HOSTILE, "options": [("A", NS(text=HOSTILE))]},
            {"part": "text", "text": HOSTILE},
            {"part": "before_first", "labels": {"before_first": HOSTILE}, "href": HOSTILE},
            {"part": "learned_wait", "labels": {"other_form_link": HOSTILE}, "href": HOSTILE},
            {"part": "intro", "intro": HOSTILE},
            {"part": "links", "labels": {"before_title": HOSTILE}, "title": HOSTILE, "before": HOSTILE, "after": HOSTILE},
        ],
        "coach_path": [
            {"part": "plan", "labels": {"total": HOSTILE}, "total": 30, "path": NS(title=HOSTILE, summary=HOSTILE, total_minutes=180, modules=[]),
             "plans": [NS(module=module, session_minutes=20, after_minutes=10, steps=[STEP, NS(label=HOSTILE, minutes=5, in_session=False)])]},
            {"part": "guide", "href": HOSTILE},
            {"part": "current", "chosen": HOSTILE, "title": HOSTILE},
        ],
        "shell": [
            {"part": "banner", "kicker": HOSTILE, "title": HOSTILE},
            {"part": "ticket", "ticket": HOSTILE},
            {"part": "language", "language": HOSTILE},
            {"part": "ended", "message": HOSTILE, "signed_out": True},
        ],
        "hr_page": [
            {"part": "downloads", "links": [(HOSTILE, HOSTILE), (HOSTILE, "data:x")]},
            {"part": "failed", "failed": [NS(task=NS(label=HOSTILE), error=HOSTILE)]},
            {"part": "trainees", "people": [NS(name=HOSTILE, id=1)]},
        ],
        "handout": [
            {"part": "page", "css": HOSTILE, "module": module, "labels": {"handout": HOSTILE}, "ideas": [(HOSTILE, HOSTILE)], "canvases": HOSTILE},
            {"part": "canvas", "title": HOSTILE, "width": 640, "height": 300, "body": HOSTILE},
        ],
        "widget": [
            {"part": "status", "kind": HOSTILE, "text": HOSTILE},
            {"part": "style", "css": HOSTILE},
            {"part": "item", "n": 1, "text": HOSTILE},
            {"part": "signed_in", "person": HOSTILE, "role": HOSTILE},
            {"part": "page_text", "heading": HOSTILE, "text": HOSTILE},
            {"part": "page_text", "heading": "", "text": HOSTILE},
            {"part": "example", "text": HOSTILE},
        ],
        "exercise": [
            {"part": "prompt", "text": HOSTILE, "hint": HOSTILE},
            {"part": "markdown", "css": HOSTILE, "html": HOSTILE},
            {"part": "item", "text": HOSTILE, "hint": None},
            {"part": "statement", "n": 1, "text": HOSTILE},
            {"part": "text", "text": HOSTILE},
            {"part": "muted", "text": HOSTILE},
            {"part": "label", "text": HOSTILE},
            {"part": "option_note", "text": HOSTILE},
            {"part": "row_head", "columns": [NS(label=HOSTILE)]},
            {"part": "step", "label": HOSTILE, "question": HOSTILE},
            {"part": "block", "heading": HOSTILE, "hint": HOSTILE, "column": HOSTILE},
            {"part": "heading", "level": 2, "text": HOSTILE},
            {"part": "warn_list", "text": HOSTILE, "lines": [HOSTILE, HOSTILE]},
            {"part": "table", "css": HOSTILE, "heads": [HOSTILE], "rows": [(HOSTILE, HOSTILE)]},
            {"part": "citation", "own": HOSTILE},
            {"part": "citation", "own": "", "author": HOSTILE, "title": HOSTILE, "where": HOSTILE},
        ],
        "exercise_results": [
            {"part": "classify", "t": NS(missed_heading=HOSTILE), "score": HOSTILE, "chart": HOSTILE, "share": HOSTILE, "missed": [HOSTILE]},
            {"part": "classify", "t": NS(none_missed=HOSTILE), "score": HOSTILE, "chart": "", "share": "", "missed": []},
            {"part": "ipa", "t": NS(never_identified=HOSTILE, ignored=HOSTILE, none=HOSTILE, element_column=HOSTILE, importance_column=HOSTILE,
                                     investment_column=HOSTILE, category_heading=HOSTILE),
             "chart": HOSTILE, "groups": {"never_identified": [HOSTILE], "ignored": []}, "categories": {"c": HOSTILE},
             "rows": [NS(element=HOSTILE, importance=3, investment=None, category="c")]},
            {"part": "rows", "heading": HOSTILE, "empty": HOSTILE, "columns": [NS(label=HOSTILE)], "rows": [[HOSTILE]], "mean_line": HOSTILE,
             "chart": HOSTILE},
            {"part": "rows", "heading": "", "empty": HOSTILE, "columns": [], "rows": [], "mean_line": "", "chart": ""},
            {"part": "servuction_map", "t": NS(summary_heading=HOSTILE, element_column=HOSTILE, description_column=HOSTILE),
             "rows": [(HOSTILE, HOSTILE), (HOSTILE, "")], "service": HOSTILE, "note": HOSTILE},
            {"part": "servuction_map", "t": NS(summary_heading=HOSTILE, empty=HOSTILE), "rows": []},
            {"part": "timeline", "chart": HOSTILE, "lines": [HOSTILE]},
            {"part": "pick", "line": HOSTILE, "why": HOSTILE, "why_label": HOSTILE},
            {"part": "fields", "heading": HOSTILE, "filled": [(HOSTILE, HOSTILE)]},
            {"part": "checklist", "line": HOSTILE, "gaps_label": HOSTILE, "gaps": [HOSTILE]},
            {"part": "checklist", "line": HOSTILE, "gaps_label": HOSTILE, "gaps": []},
            {"part": "digest", "lines": [HOSTILE], "heading": HOSTILE, "empty": HOSTILE},
            {"part": "digest", "lines": [], "heading": HOSTILE, "empty": HOSTILE},
        ],
        "journey": [
            {"part": "summary", "m": NS(title=HOSTILE, variant=HOSTILE), "label": str, "signed": str,
             "c": {k: HOSTILE for k in ("touchpoints", "moments_of_truth", "pain_points", "at_client_site", "controlled_by_me_or_team")},
             "items": [NS(kind_text=HOSTILE, stage=HOSTILE, touchpoint=HOSTILE, control=HOSTILE, emotion=HOSTILE, text=HOSTILE)]},
            {"part": "summary", "m": NS(title=HOSTILE, variant="as_is"), "label": str, "signed": str, "items": [],
             "c": {k: 1 for k in ("touchpoints", "moments_of_truth", "pain_points", "at_client_site", "controlled_by_me_or_team")}},
            {"part": "compare", "changes": [NS(kind_text=HOSTILE, stage=HOSTILE, touchpoint=HOSTILE, detail=HOSTILE)]},
            {"part": "downloads", "links": [(HOSTILE, HOSTILE, HOSTILE), (HOSTILE, "a.csv", "data:text/csv;base64,QQ==")]},
            {"part": "heading", "text": HOSTILE},
            {"part": "error", "text": HOSTILE},
        ],
        "module_page": [
            {"part": "instrument", "instrument": NS(title=HOSTILE, intro=HOSTILE), "mark": HOSTILE},
            {"part": "summary", "spec": NS(id=HOSTILE), "summary": HOSTILE},
            {"part": "takeaway", "module": module},
            {"part": "next", "module": module, "href": HOSTILE},
            {"part": "handout", "href": HOSTILE},
            {"part": "home", "href": HOSTILE},
        ],
    }[name]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def test_every_template_has_a_hostile_context():
    assert sorted(_contexts()) == fragment_names()


VARIANTS = [(name, i) for name in ("guide_live", "quiz_sections", "module_page", "report_texts", "path", "home", "reference", "case", "placement",
                                  "coach_page", "quiz_page", "coach_path", "shell", "hr_page", "handout", "widget", "exercise",
                                  "exercise_results", "journey")
            for i in range(len(_variants(name)))]


STATIC = {"back_home", "person_360"}  # fixed sentences only: nothing a person typed ever reaches them


@pytest.mark.parametrize("name", fragment_names())
def test_every_template_escapes_every_text(name):
    if name in STATIC:
        html = render_fragment(name, **_contexts()[name])
        source = environment().loader.get_source(environment(), name + ".html.j2")[0]
        source = re.sub(r'\{\{ _\("[^"]*"\) \}\}', "", source)  # translated fixed words are not a variable
        assert "{{" not in source and "<p" in html
        return
    _assert_escaped(render_fragment(name, **_contexts()[name]))


@pytest.mark.parametrize(("name", "index"), VARIANTS)
def test_every_part_escapes_every_text(name, index):
    _assert_escaped(render_fragment(name, **_variants(name)[index]))


def _assert_escaped(html: Markup) -> None:
    assert isinstance(html, Markup)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 1  # the text is there, shown as text
    assert "<script" not in html and '"onmouseover' not in html and "x='" not in html
    assert "{{7*7}}" in html and "{% if 1 %}" in html and "49" not in html  # shown, never evaluated
    parsed = _Tags()
    parsed.feed(html)
    assert "script" not in parsed.tags and not any(a.startswith("on") for a in parsed.attrs)


def test_a_fragment_inside_a_fragment_is_not_escaped_twice():
    inner = render_fragment("badge", text="<b>", kind="done")
    outer = render_fragment("badge", text=inner, kind="")
    assert outer == '<span class="wb-badge"><span class="wb-badge done">&lt;b&gt;</span></span>'


def test_a_missing_variable_raises():
    with pytest.raises(jinja2.UndefinedError, match="kind"):
        render_fragment("badge", text="x")  # kind not passed
    typo = environment().from_string("<p>{{ nmae }}</p>")
    with pytest.raises(jinja2.UndefinedError, match="nmae"):
        typo.render(name="Ann")


def test_templates_are_one_line_without_stray_whitespace():
    html = render_fragment("plans_overview", rows=[("Ann", {"total": 2, "done": 1, "in_progress": 0, "overdue": 0})])
    assert "\n" not in html and "<tr><td>Ann</td><td>2</td><td>1</td><td>0</td><td>—</td></tr>" in html


def test_free_text_keeps_its_line_breaks():
    note = NS(session=None, created_at=datetime(2026, 1, 1), shared=False, fields={"goal": "first\n  second"})
    assert "<dd>first\n  second</dd>" in render_fragment("notes", notes=[note], sharing=False, empty="", labels={})


def test_the_rater_listing_escapes_every_field():
    from workbook.store.raters import RaterInvitation

    html = render_fragment("rater_table", issued=False, categories={}, rows=[RaterInvitation(1, HOSTILE, "i", HOSTILE, HOSTILE, HOSTILE)])
    assert "<script" not in html and html.count("&lt;script&gt;") == 4
