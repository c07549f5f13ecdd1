"""Coach and HR pages show each instrument's reliability for their own cohort; trainees cannot.
The figures are worked out by hand below from answers the test gives (not by the statistics code)."""
import html as html_lib
import re

import pytest

from workbook.errors import AccessDenied
from workbook.store import AccessCodeAuthenticator, create_cohort, invite, save_answer
from workbook.ui.pages.statistics import statistics_html

# Co-production, keyed answers (cp3 is reverse-keyed: the raw answer is 6 - keyed).
PARTICIPATION = {  # cp1 cp2 cp3 cp4
    "Ann": (1, 2, 1, 4),
    "Ben": (3, 3, 2, 2),
    "Cy": (5, 4, 3, 3),
}
# By hand: item variances (n-1) cp1 4, cp2 1, cp3 1, cp4 1, sum 7; totals 8, 10, 15 (mean 11) give variance
# (9 + 1 + 16) / 2 = 13; alpha = 4/3 * (1 - 7/13) = 8/13 = 0.615 -> "0.62 (under 0.7)".
# cp4 against the other items (4, 8, 12) moves the other way (r = -0.5): the one item under 0.30.
# Scores 0-100: means 2, 2.5, 3.75 -> 25, 37.5, 68.75; cohort mean 43.75 -> "44"; SD (n-1)
# sqrt((18.75² + 6.25² + 25²) / 2) = sqrt(507.8125) = 22.53 -> "22.5".
# Presence: everyone answers 3 everywhere: no variance (alpha not computable), mean 50, SD 0.0.


def _answer(db, who, participation, presence=3):
    for item, keyed in zip(("cp1", "cp2", "cp3", "cp4"), participation):
        save_answer(db, who, who.person_id, "m01", "coproduction", item, 6 - keyed if item == "cp3" else keyed)
    for item in ("cp5b", "cp6", "cp7", "cp8"):
        save_answer(db, who, who.person_id, "m01", "coproduction", item, presence)


def _rows(block: str) -> dict[str, list[str]]:
    """Each table row's cells as text, by the row's first cell."""
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", block, flags=re.S):
        cells = [html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        if cells:
            rows[cells[0]] = cells
    return rows


def test_the_coach_and_hr_see_their_cohorts_reliability_worked_out_by_hand(db, cohort, admin):
    ident = cohort["ident"]
    for name, answers in PARTICIPATION.items():
        _answer(db, ident[name], answers)
    # another cohort's trainee, with answers that would change every figure: not counted
    other = create_cohort(db, admin, "Cohort B")
    _pid, code = invite(db, admin, other, "Dee", "trainee")
    _answer(db, AccessCodeAuthenticator(db).authenticate(code), (5, 1, 5, 1), presence=1)

    for who in (ident["Coach C"], ident["HR H"]):
        page = statistics_html(db, who)
        block = page[page.index("3 people answered"):]
        block = block[:block.index("</table>")]
        rows = _rows(block)
        participation = rows["Client participation"]
        alpha, _ci, n, missing, mean, sd, weak = participation[1:]
        assert (alpha, n, missing, mean, sd, weak) == ("0.62 (under 0.7)", "3", "0", "44", "22.5", "cp4")
        assert re.search(r'<td class="wb-warn">0\.62 \(under 0\.7\)</td>', block)
        presence = rows["Client presence"]
        assert "no variance" in presence[1] and presence[5:7] == ["50", "0.0"]


def test_a_group_under_the_threshold_shows_no_figure(db, cohort):
    ident = cohort["ident"]
    for name in ("Ann", "Ben"):
        _answer(db, ident[name], PARTICIPATION[name])
    page = statistics_html(db, ident["Coach C"])
    assert "2 people answered" in page and "not enough people (2 answered, 3 needed)" in page
    assert "0.62" not in page and "22.5" not in page


def test_a_trainee_is_refused(db, cohort):
    with pytest.raises(AccessDenied):
        statistics_html(db, cohort["ident"]["Ann"])
