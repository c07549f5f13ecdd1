"""Cohort statistics for coaches and HR: reliability on keyed answers, the anonymity threshold."""
import pytest

from workbook.analysis.cohort_statistics import NOT_ENOUGH_PEOPLE, aggregates, cohort_instrument_stats, instrument_stats, keyed_rows
from workbook.content.catalogue import catalogue, parse_document
from workbook.errors import AccessDenied
from workbook.store import save_answer

INST = parse_document(
    """
kind: instrument
id: s
title: S
scale: {points: 5, anchors: {1: a, 2: b, 3: c, 4: d, 5: e}}
dimensions: [{id: a, label: A}]
items:
  - {id: a1, text: x, dimension: a}
  - {id: a2, text: x, dimension: a}
  - {id: a3, text: x, dimension: a, reverse: true}
"""
)
# keyed: the hand-worked example of test_psychometrics (alpha 27/29): a3 is stored reversed
PEOPLE = {1: {"a1": 1, "a2": 2, "a3": 4}, 2: {"a1": 2, "a2": 2, "a3": 3}, 3: {"a1": 3, "a2": 4, "a3": 3}, 4: {"a1": 4, "a2": 4, "a3": 2}}


def test_reverse_keys_applied_before_alpha():
    assert keyed_rows(INST, {1: {"a1": 1, "a2": "dont_know", "a3": 4}}) == [{"a1": 1, "a2": None, "a3": 2}]
    stats = instrument_stats(INST, PEOPLE, threshold=3)
    assert stats.reliability[0].alpha == pytest.approx(27 / 29, abs=1e-12)


def test_aggregates_by_hand_and_hidden_under_threshold():
    agg = aggregates(INST, PEOPLE, threshold=3)[0]
    # means: 5/3, 7/3, 10/3, 4 -> 0-100: 16.67, 33.33, 58.33, 75 -> mean 45.83
    assert agg.mean == pytest.approx((50 / 3 + 100 / 3 + 175 / 3 + 75) / 4, abs=1e-9)
    assert agg.n == 4 and agg.distribution == {1: 0, 2: 2, 3: 1, 4: 1, 5: 0}
    small = instrument_stats(INST, {1: PEOPLE[1], 2: PEOPLE[2]}, threshold=3)
    assert small.reliability == [] and small.aggregates == []
    assert small.reason == f"{NOT_ENOUGH_PEOPLE} (2 answered, 3 needed)"
    hidden = aggregates(INST, {1: PEOPLE[1], 2: PEOPLE[2], 3: {"a1": 3}}, threshold=3)[0]
    assert hidden.mean is None and hidden.reason == f"{NOT_ENOUGH_PEOPLE} (2 scored, 3 needed)"


def test_cohort_stats_through_the_store_respect_threshold_and_roles(db, cohort, admin):
    inst = catalogue().instrument("manager_profile")
    coach, hr = cohort["ident"]["Coach C"], cohort["ident"]["HR H"]
    values = {"Ann": 1, "Ben": 3, "Cy": 5}
    for name in ["Ann", "Ben"]:
        ident = cohort["ident"][name]
        for item in inst.items:
            save_answer(db, ident, ident.person_id, "m03", inst.id, item.id, values[name])
    stats = cohort_instrument_stats(db, coach, inst.id, cohort["id"])
    assert stats.people == 2 and stats.reason.startswith(NOT_ENOUGH_PEOPLE) and stats.aggregates == []
    cy = cohort["ident"]["Cy"]
    for item in inst.items:
        save_answer(db, cy, cy.person_id, "m03", inst.id, item.id, values["Cy"] if item.id != "mp1" else 4)
    stats = cohort_instrument_stats(db, hr, inst.id, cohort["id"])
    assert stats.people == 3 and stats.reason == ""
    tech = stats.reliability[0]
    assert tech.n == 3 and tech.alpha is not None
    with pytest.raises(AccessDenied):
        cohort_instrument_stats(db, cy, inst.id, cohort["id"])
    with pytest.raises(AccessDenied):
        cohort_instrument_stats(db, coach, inst.id, None)  # all cohorts: operator only
    assert cohort_instrument_stats(db, admin, inst.id, None).people == 3


def test_cli_stats_prints_alpha_per_dimension(db, cohort, capsys):
    from workbook.cli import main

    inst = catalogue().instrument("manager_profile")
    for name, base in (("Ann", 1), ("Ben", 3), ("Cy", 5)):
        ident = cohort["ident"][name]
        for k, item in enumerate(inst.items):
            save_answer(db, ident, ident.person_id, "m03", inst.id, item.id, max(1, min(5, base + (k % 2))))
    assert main(["stats", "Cohort A", "--instrument", "manager_profile"]) == 0
    out = capsys.readouterr().out
    assert "people who answered: 3" in out
    assert out.count("missing answers") == 4 and out.count("item-total r") == len(inst.items) == 19


def test_stats_html_flags_low_alpha_and_hides_small_groups():
    from workbook.render.cohort_html import stats_html

    low = {1: {"a1": 1, "a2": 5, "a3": 3}, 2: {"a1": 5, "a2": 1, "a3": 3}, 3: {"a1": 3, "a2": 3, "a3": 1}, 4: {"a1": 2, "a2": 4, "a3": 5}}
    html = stats_html(instrument_stats(INST, low, threshold=3), INST)
    assert "(under 0.7)" in html and 'class="wb-warn"' in html
    small = stats_html(instrument_stats(INST, {1: PEOPLE[1]}, threshold=3), INST)
    assert "not enough people (1 answered, 3 needed)" in small and "<table" not in small
