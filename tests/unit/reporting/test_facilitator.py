"""The facilitator guide (issue #12): rendered from exercises/facilitator.yaml with the workshop
minutes of paths.yaml, live cohort results under the anonymity threshold, the reasoning behind the
debatable statement keys checked against the dataset, the page for coach and HR only, and its PDF
through the report pipeline (papermill + Chromium; pdfinfo/pdftotext read it back)."""
from __future__ import annotations

import html as html_lib
import re
import subprocess
from pathlib import Path

import pytest
from cli_run import run_cli
from markupsafe import escape as _escape  # the escaping the workbook uses (workbook.render.html.esc)
from widget_tools import html_text

from workbook.content.catalogue import catalogue, load_directory
from workbook.content.yaml_text import load_yaml
from workbook.errors import ContentError

ROOT = Path(__file__).resolve().parents[3]
GUIDE = load_yaml((ROOT / "exercises" / "facilitator.yaml").read_text(encoding="utf-8"))
PATHS = load_yaml((ROOT / "exercises" / "paths.yaml").read_text(encoding="utf-8"))
STATEMENTS = {s["id"]: s for s in load_yaml((ROOT / "datasets" / "client_statements.yaml").read_text(encoding="utf-8"))["statements"]}


def _guide(live=None):
    from workbook.reporting.facilitator import guide_html, statements_for
    from workbook.settings import get_settings

    cat = catalogue()
    return guide_html(cat, statements_for(cat, get_settings().datasets_dir), live)


def _section(html: str, module_id: str) -> str:
    start = html.index(f'data-module="{module_id}"')
    end = html.find("<section", start)
    return html[start:end if end > 0 else None]


def test_every_module_has_its_key_messages_citations_and_workshop_minutes():
    html = _guide()
    workshop = {m["module"]: m["steps"] for p in PATHS["paths"] if p["id"] == "workshop" for m in p["modules"]}
    assert [m["module"] for m in GUIDE["modules"]] == sorted(catalogue().modules)
    for gm in GUIDE["modules"]:
        part = _section(html, gm["module"])
        for k in gm["key_messages"]:
            assert _escape(k["text"]) in part
            if k["source"] != "workbook":
                assert _escape(catalogue().sources[k["source"]].author) in part
        assert f"{sum(s['minutes'] for s in workshop[gm['module']])} min" in part
        for mc in gm["misconceptions"]:
            assert _escape(mc["answer"]) in part
        assert len(re.findall(r"<li><p>", part)) == len(gm["debrief"])


def test_statement_reasoning_shows_each_statement_with_its_current_key():
    html = _guide()
    for r in GUIDE["statements"]["reasoning"]:
        box = html[html.index(f'data-statement="{r["id"]}"'):].split("</div>")[0]
        assert _escape(STATEMENTS[r["id"]]["text"]) in box
        assert f"Key: <b>{STATEMENTS[r['id']]['key']}</b>" in box and r["key"] == STATEMENTS[r["id"]]["key"]
        assert _escape(r["why"]) in box and _escape(r["other_side"]) in box


@pytest.mark.parametrize("edit, expect", [
    (lambda t: t.replace("- id: s35\n      key: process", "- id: s35\n      key: outcome"), "(s35): the dataset now keys it 'process', the reasoning defends 'outcome'"),
    (lambda t: t.replace("- id: s47", "- id: s16"), "'s16' is not in datasets/client_statements.yaml"),
    (lambda t: t.replace("uses: coproduction", "uses: coproductio"), "has no questionnaire or exercise 'coproductio'"),
    (lambda t: t.replace("source: carlzon", "source: carlson"), "'carlson' is not in sources.yaml"),
    (lambda t: t.replace("canvas: [grow]", "canvas: [spiral]"), "canvas"),
])
def test_a_stale_or_wrong_reference_fails_the_content_check_in_one_line(edited_content, edit, expect):
    with pytest.raises(ContentError) as exc:
        load_directory(edited_content("facilitator.yaml", edit))
    assert expect in str(exc.value) and "facilitator.yaml" in str(exc.value) and "\n" not in str(exc.value)


def _answer_coproduction(db, who, value):
    from workbook.store import save_answer

    for item in catalogue().instrument("coproduction").items:
        save_answer(db, who, who.person_id, "m01", "coproduction", item.id, value)


def test_live_results_hidden_below_the_threshold_then_the_cohorts_mean(db, cohort):
    from workbook.ui.pages.facilitator import guide_for

    coach = cohort["ident"]["Coach C"]
    for name, value in (("Ann", 5), ("Ben", 2)):
        _answer_coproduction(db, cohort["ident"][name], value)
    live = _section(guide_for(db, coach), "m01")
    box = live[live.index('data-uses="coproduction"'):].split("</div>")[0]
    assert "not enough responses (fewer than 3)" in box and "<td>2</td>" in box
    _answer_coproduction(db, cohort["ident"]["Cy"], 3)
    # by hand: each dimension has 4 items, one reverse-keyed (6 - answer); everyone answers v everywhere:
    # v=5 -> (5+5+5+1)/4 = 4 -> 75; v=2 -> 2.5 -> 37.5; v=3 -> 3 -> 50; mean (75 + 37.5 + 50) / 3 = 54.2
    box = _section(guide_for(db, coach), "m01")
    box = box[box.index('data-uses="coproduction"'):].split("</div>")[0]
    assert "not enough responses" not in box
    for label in ("Client participation", "Client presence"):
        assert f"<td>{label}</td><td>3</td><td>54</td>" in html_lib.unescape(box)


def test_the_page_refuses_a_trainee_and_opens_for_coach_and_hr(db, cohort):
    from workbook.ui.pages.facilitator import facilitator_page

    page = facilitator_page(db=db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    assert page.body.children == () and "this page is for the coach or hr" in page.status.value
    for who in ("Coach C", "HR H"):
        page = facilitator_page(db=db)
        page.signin.code.value = cohort["people"][who]["code"]
        text = html_text(page)
        assert "Key messages" in text and 'data-statement="s35"' in text


@pytest.mark.slow
def test_the_pdf_comes_from_the_report_pipeline_with_every_module(settings_env, monkeypatch, admin, tmp_path):
    from workbook.store import open_database
    from workbook.store.demo import build_demo

    build_demo(open_database())
    out = tmp_path / "out"
    assert run_cli(monkeypatch, settings_env, "facilitator", "--cohort", "Demo cohort", "--pdf", "-o", str(out)) == 0
    pdf = out / "facilitator-guide.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    assert pages >= len(GUIDE["modules"])
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Facilitator guide" in text and "Demo cohort" in text
    for m in catalogue().ordered_modules():
        assert f"Module {m.number} · {m.title}" in text
    assert "like the key on average" in text  # the demo cohort's live Module 4 result
    assert run_cli(monkeypatch, settings_env, "facilitator", "--cohort", "Nobody", "-o", str(out)) == 1
