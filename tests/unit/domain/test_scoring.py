import pytest

from workbook.content.catalogue import catalogue, parse_document
from workbook.domain.scoring import NOT_ENOUGH, overall, score

INST = parse_document(
    """
kind: instrument
id: s
title: S
scale: {points: 5, anchors: {1: a, 2: b, 3: c, 4: d, 5: e}}
dimensions: [{id: a, label: A}, {id: b, label: B}]
items:
  - {id: a1, text: x, dimension: a}
  - {id: a2, text: x, dimension: a, reverse: true}
  - {id: a3, text: x, dimension: a}
  - {id: b1, text: x, dimension: b}
  - {id: b2, text: x, dimension: b}
  - {id: b3, text: x, dimension: b}
"""
)


def by_dim(answers):
    return {s.dimension: s for s in score(INST, answers)}


def test_reverse_key_and_0_100_by_hand():
    # a: 4, reverse(2) = 4, 5 -> mean 13/3; 0-100: (13/3 - 1)/4*100 = 83.33...
    s = by_dim({"a1": 4, "a2": 2, "a3": 5})["a"]
    assert s.mean == pytest.approx(13 / 3, abs=1e-12)
    assert s.score_100 == pytest.approx(250 / 3, abs=1e-9)
    assert s.answered == 3


def test_two_thirds_rule_and_dont_know():
    got = by_dim({"a1": 5, "a2": "dont_know", "a3": 3, "b1": 2})
    assert got["a"].mean == pytest.approx(4.0)  # 2 of 3 answered: scored
    assert got["b"].mean is None and got["b"].status == NOT_ENOUGH  # 1 of 3: not enough


def test_all_missing_gives_no_score_not_nan():
    got = score(INST, {})
    assert all(s.mean is None and s.score_100 is None for s in got)
    assert overall(got) is None


def test_extremes_map_to_0_and_100():
    low = by_dim({"a1": 1, "a2": 5, "a3": 1})["a"]
    high = by_dim({"a1": 5, "a2": 1, "a3": 5})["a"]
    assert (low.score_100, high.score_100) == (0.0, 100.0)


def test_shipped_coproduction_instrument_reverse_items():
    inst = catalogue().instrument("coproduction")
    answers = {i.id: 5 for i in inst.items}
    got = {s.dimension: s for s in score(inst, answers)}
    # participation: cp1,cp2,cp4 = 5, cp3 reversed = 1 -> mean 4
    assert got["participation"].mean == pytest.approx(4.0)
    assert got["presence"].mean == pytest.approx(4.0)
