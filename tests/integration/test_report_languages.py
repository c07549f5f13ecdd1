"""French and Chinese reports (issue #15): individual and cohort reports through real papermill kernels,
nbconvert and Debian's Chromium, in each person's (or the cohort's) language, with the language of each
answer shown. The expected scores are worked out by hand below from datasets/demo_answers.csv, not by the
scoring code; pdftotext reads the PDFs back, and Chromium says which font draws the Chinese (Noto Sans CJK SC)."""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from workbook.auth.identity import Identity
from workbook.reporting.reports import cohort_tasks, person_task, run_reports
from workbook.store import cohort_by_name, list_people, save_answer, set_cohort_language, set_language, set_progress
from workbook.store.demo import build_demo

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # papermill kernels; Chromium prints the PDFs
ADMIN = Identity.admin()
AS_OF = "2026-12-02"
# Demo trainee 1 (Amélie Laurent) and 3 (Chen Wei), coproduction (5 points; cp3 and cp7 reverse-keyed: 6 - x):
AMELIE = {"cp1": 1, "cp2": 2, "cp3": 4, "cp4": 2, "cp5b": 2, "cp6": 1, "cp7": 3, "cp8": 4}
CHEN = {"cp1": 4, "cp2": 4, "cp3": 2, "cp4": 5, "cp5b": 5, "cp6": 5, "cp7": 3, "cp8": 4}
# Amélie: participation (1 + 2 + (6-4) + 2) / 4 = 1.75 -> (1.75 - 1) / 4 * 100 = 18.75 -> 19
#         presence (2 + 1 + (6-3) + 4) / 4 = 2.50 -> 37.5 -> 38 (half to even); overall (18.75 + 37.5) / 2 = 28.125 -> 28
# Chen:   participation (4 + 4 + (6-2) + 5) / 4 = 4.25 -> 81.25 -> 81; presence (5 + 5 + (6-3) + 4) / 4 = 4.25 -> 81; overall 81


def one_line(text: str) -> str:
    """The text with every run of white space (French no-break spaces included) as one plain space."""
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def platform_fonts(html: Path, selectors: list[str], text: str) -> set[str]:
    """The fonts Chromium actually draws ``text`` with in the report (its DevTools' platform fonts), in the table
    cell and in the chart's SVG text that hold it."""
    from playwright.sync_api import sync_playwright

    from workbook.reporting.reports import CHROMIUM, CHROMIUM_ARGS

    used: set[str] = set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(html.resolve().as_uri(), wait_until="load")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        for selector in selectors:
            nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
            holding = [n for n in nodes if text in cdp.send("DOM.getOuterHTML", {"nodeId": n})["outerHTML"]]
            assert holding, selector
            for fonts in (cdp.send("CSS.getPlatformFontsForNode", {"nodeId": n})["fonts"] for n in holding):
                used |= {f["familyName"] for f in fonts}
        browser.close()
    return used


def answer_again(db, person, values: dict[str, int]) -> None:
    """The person answers the questionnaire again, the same values, now in their chosen language."""
    me = Identity(role="trainee", person_id=person.id, cohort_id=person.cohort_id, name=person.name)
    for item, value in values.items():
        save_answer(db, me, person.id, "m01", "coproduction", item, value)


def test_french_and_chinese_reports_with_real_scores_in_html_and_pdf(db, tmp_path):
    build_demo(db)
    cid = cohort_by_name(db, "Demo cohort")
    people = list_people(db, ADMIN, cid, role="trainee")
    amelie, chen = people[0], people[2]
    assert (amelie.name, chen.name) == ("Amélie Laurent", "Chen Wei")
    for person, language, values in ((amelie, "fr", AMELIE), (chen, "zh", CHEN)):
        me = Identity(role="trainee", person_id=person.id, cohort_id=cid, name=person.name)
        set_language(db, me, person.id, language)
        answer_again(db, person, values)
    amelie_me = Identity(role="trainee", person_id=amelie.id, cohort_id=cid, name=amelie.name)
    # m01, m06, m07 marked done; the demo's m04 and m05 are complete by their answers (questionnaire scored on every
    # dimension, every exercise answered: domain/completion.py), so 5 of the 9 modules are done: 56 %
    for module in ("m01", "m06", "m07"):
        set_progress(db, amelie_me, amelie.id, module, "done")
    set_cohort_language(db, ADMIN, cid, "fr")
    [cohort_fr] = cohort_tasks(db, ADMIN, "Demo cohort", people=False)
    cohort_zh = dataclasses.replace(cohort_fr, stem=cohort_fr.stem + "-zh", language="zh")
    tasks = [person_task(db, ADMIN, amelie.id), person_task(db, ADMIN, chen.id), cohort_fr, cohort_zh]
    assert [t.language for t in tasks] == ["fr", "zh", "fr", "zh"]
    outcomes = run_reports(tasks, ADMIN, tmp_path, ("html", "pdf"), workers=1, as_of=AS_OF)
    assert [o.error for o in outcomes] == [None] * 4
    (fr_html, fr_pdf), (zh_html, zh_pdf) = [(one_line(o.files[0].read_text(encoding="utf-8")), o.files[1]) for o in outcomes[:2]]

    # French: chrome, content (the French instrument), numbers, percentage and date in French formats
    assert '<html lang="fr">' in fr_html
    assert "<td>Participation du client</td><td>19</td><td>1,75</td>" in fr_html
    assert "<td>Présence du client</td><td>38</td><td>2,50</td>" in fr_html
    assert "Score global : 28 / 100." in fr_html
    assert "Langue des réponses : Français (8)" in fr_html
    fr_text = one_line(pdf_text(fr_pdf))
    assert re.search(r"Participation du (client )?19 1,75 4/4", fr_text) and "Présence du client 38 2,50 4/4" in fr_text
    assert "rapport au 2 décembre 2026" in fr_text and "5 modules terminés sur 9 (56 %)" in fr_text
    assert "Avancement par module" in fr_text and "Dans quelle mesure votre client coproduit-il le service ?" in fr_text
    assert "Module completion" not in fr_text and "Scores across" not in fr_text

    # Chinese: the same, and the PDF's Chinese text is set in Noto Sans CJK (the chart's SVG asks for it by name)
    assert '<html lang="zh">' in zh_html
    assert "<td>客户参与</td><td>81</td><td>4.25</td>" in zh_html and "<td>客户在场</td><td>81</td><td>4.25</td>" in zh_html
    assert "作答语言：中文（8）" in zh_html
    assert 'font-family="Noto Sans CJK SC' in zh_html
    zh_text = one_line(pdf_text(zh_pdf))
    assert re.search(r"客户参与 81 4\.25", zh_text) and re.search(r"客户在场 81 4\.25", zh_text)
    assert "报告日期：2026年12月2日" in zh_text and "各单元完成情况" in zh_text and "客户在多大程度上与您共同生产这项服务？" in zh_text
    assert platform_fonts(outcomes[1].files[0], ["td", "svg text"], "客户参与") == {"Noto Sans CJK SC"}

    # Cohort reports: French (the cohort's default) and Chinese, each saying in which languages people answered
    cohort_fr_html, cohort_zh_html = (one_line(o.files[0].read_text(encoding="utf-8")) for o in outcomes[2:])
    assert '<html lang="fr">' in cohort_fr_html and "Scores de la promotion (0–100)" in cohort_fr_html
    assert "selon la langue de leurs réponses : English (10) · Français (1) · 中文 (1)." in cohort_fr_html
    assert "12 participants" in cohort_fr_html and "rapport au 2 décembre 2026" in cohort_fr_html
    assert '<html lang="zh">' in cohort_zh_html and "学员组得分（0–100）" in cohort_zh_html
    assert "按作答语言统计的作答人数：English（10） · Français（1） · 中文（1）。" in cohort_zh_html
    cohort_zh_text = one_line(pdf_text(outcomes[3].files[1]))
    assert "学员组报告" in cohort_zh_text and "报告日期：2026年12月2日" in cohort_zh_text
