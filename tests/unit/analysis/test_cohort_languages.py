"""Cohort statistics over a cohort that answered in three languages (issue #15): answers pool by item id,
so the figures are the same whichever language the cohort is shown in, and equal those worked out by hand
from the items below; each answer records the language it was given in."""
import pytest

from workbook.analysis.cohort_statistics import cohort_instrument_stats
from workbook.i18n import using
from workbook.reporting.report_content import cohort_report
from workbook.store import answer_languages, cohort_answer_languages, save_answer, set_language

# coproduction (5 points): participation cp1-cp4, presence cp5b-cp8; cp3 and cp7 reverse-keyed (6 - x)
ANSWERS = {
    "Ann": ("en", {"cp1": 4, "cp2": 4, "cp3": 2, "cp4": 4, "cp5b": 4, "cp6": 4, "cp7": 2, "cp8": 4}),
    "Ben": ("fr", {"cp1": 2, "cp2": 3, "cp3": 5, "cp4": 2, "cp5b": 3, "cp6": 3, "cp7": 3, "cp8": 3}),
    "Cy": ("zh", {"cp1": 5, "cp2": 5, "cp3": 1, "cp4": 5, "cp5b": 1, "cp6": 2, "cp7": 5, "cp8": 4}),
}
# By hand, keyed: Ann participation 4,4,4,4 -> mean 4 -> (4-1)/4*100 = 75;  presence 4,4,4,4 -> 75
#                 Ben participation 2,3,1,2 -> 2 -> 25;                      presence 3,3,3,3 -> 3 -> 50
#                 Cy  participation 5,5,5,5 -> 5 -> 100;                     presence 1,2,1,4 -> 2 -> 25
PARTICIPATION = (25.0, 75.0, 100.0)  # mean 200/3, median 75
PRESENCE = (25.0, 50.0, 75.0)  # mean 50, median 50
# Cronbach's alpha of participation (3 people x 4 items, sample variances): items cp1 (4,2,5) 7/3, cp2 (4,3,5) 1,
# cp3 keyed (4,1,5) 13/3, cp4 (4,2,5) 7/3 -> sum 10; totals 16, 8, 20 -> variance 112/3;
# alpha = 4/3 * (1 - 10 / (112/3)) = 41/42
ALPHA_PARTICIPATION = 41 / 42
LABELS = {"en": ("Client participation", "Client presence"), "fr": ("Participation du client", "Présence du client"),
          "zh": ("客户参与", "客户在场")}


@pytest.fixture
def answered(db, cohort):
    for name, (language, values) in ANSWERS.items():
        me = cohort["ident"][name]
        set_language(db, me, me.person_id, language)
        for item, value in values.items():
            save_answer(db, me, me.person_id, "m01", "coproduction", item, value)
    return cohort


def test_each_answer_records_the_language_it_was_given_in(db, answered):
    coach = answered["ident"]["Coach C"]
    for name, (language, values) in ANSWERS.items():
        assert answer_languages(db, coach, answered["ident"][name].person_id, "coproduction") == {language: len(values)}
    assert cohort_answer_languages(db, coach, answered["id"], "coproduction") == {"en": 1, "fr": 1, "zh": 1}


@pytest.mark.parametrize("language", ["en", "fr", "zh"])
def test_cohort_statistics_across_languages_equal_those_by_item_id(db, answered, language):
    coach = answered["ident"]["Coach C"]
    rep = cohort_report(db, coach, answered["id"], as_of="2026-12-02", language=language)
    [(module, inst, spreads, answered_n)] = [s for s in rep.spreads if s[1].id == "coproduction"]
    assert answered_n == 3
    participation, presence = spreads
    assert (participation.label, presence.label) == LABELS[language]  # the content in the report's language ...
    assert participation.values == PARTICIPATION and presence.values == PRESENCE  # ... the figures the same
    assert participation.mean == pytest.approx(200 / 3) and participation.median == 75
    assert (participation.low, participation.high) == (25, 100)
    assert presence.mean == pytest.approx(50) and presence.median == 50 and (presence.low, presence.high) == (25, 75)
    assert rep.reliability["coproduction"].reliability[0].alpha == pytest.approx(ALPHA_PARTICIPATION, abs=1e-12)
    assert rep.answer_languages["coproduction"] == {"en": 1, "fr": 1, "zh": 1}
    with using(language):
        stats = cohort_instrument_stats(db, coach, "coproduction", answered["id"])
    assert stats.people == 3 and stats.reliability[0].alpha == pytest.approx(ALPHA_PARTICIPATION, abs=1e-12)
    assert [a.mean for a in stats.aggregates] == [pytest.approx(200 / 3), pytest.approx(50)]


def test_the_same_answers_in_another_language_are_a_new_row_not_a_new_score(db, answered):
    """Answering again the same value after changing language records the new language; the scores stay."""
    ann = answered["ident"]["Ann"]
    set_language(db, ann, ann.person_id, "fr")
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 4)
    coach = answered["ident"]["Coach C"]
    assert answer_languages(db, coach, ann.person_id, "coproduction") == {"en": 7, "fr": 1}
    rep = cohort_report(db, coach, answered["id"], language="fr")
    participation = next(s for s in rep.spreads if s[1].id == "coproduction")[2][0]
    assert participation.values == PARTICIPATION
