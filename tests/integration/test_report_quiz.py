"""The cohort report's quiz section through a real papermill run: the demo cohort's learning gain
per concept, checked against the demo answers counted here row by row."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.reporting.reports import cohort_tasks, run_reports
from workbook.store.demo import build_demo

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def expected_rows() -> dict[str, tuple[float, float]]:
    """Mean % right per concept before and after, over the demo trainees who submitted both forms,
    counted straight from datasets/demo_answers_quiz.csv."""
    quiz = catalogue().quiz
    by_id = {q.id: q for q in quiz.questions}
    right: dict[tuple[int, str, str], int] = {}
    done: dict[str, set[int]] = {"quiz_a": set(), "quiz_b": set()}
    with (ROOT / "datasets" / "demo_answers_quiz.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            t = int(row["trainee"])
            if row["item"] == "_submitted":
                done[row["exercise"]].add(t)
                continue
            q = by_id[row["item"]]
            key = (t, row["exercise"], q.concept)
            right[key] = right.get(key, 0) + (int(row["value"]) == q.key)
    both = done["quiz_a"] & done["quiz_b"]
    out = {}
    for n in range(1, 24):
        c = f"C{n}"
        pre = sum(right.get((t, "quiz_a", c), 0) for t in both) / 2 / len(both) * 100
        post = sum(right.get((t, "quiz_b", c), 0) for t in both) / 2 / len(both) * 100
        out[c] = (pre, post)
    return out


@pytest.mark.browser
def test_the_cohort_report_shows_the_demo_cohorts_gain_per_concept(db, tmp_path):
    build_demo(db)
    outcomes = run_reports(cohort_tasks(db, Identity.admin(), "Demo cohort", people=False), Identity.admin(), tmp_path, ("html",), workers=1)
    assert outcomes[0].error is None
    html = outcomes[0].files[0].read_text(encoding="utf-8")
    assert "<h2>Learning gain per concept</h2>" in html
    assert "10 people submitted both forms (11 form A, 10 form B)." in html
    for c, (pre, post) in expected_rows().items():
        assert f"<td>{c}</td>" in html
        assert f"<td>{pre:.0f}%</td><td>{post:.0f}%</td><td>{post - pre:+.0f}</td>" in html.split(f"<td>{c}</td>", 1)[1].split("</tr>", 1)[0], c
