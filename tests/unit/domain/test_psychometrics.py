"""Cronbach's alpha and item statistics: a hand-worked example, a second formula, boundary cases."""
import math
import random

import numpy as np
import pytest

from workbook.domain.psychometrics import NOT_COMPUTABLE, cronbach_alpha

# Hand-worked: items a, b, c; four respondents.
#   var(a)=5/3, var(b)=4/3, var(c)=2/3 (n-1); totals 5,7,10,12 -> var 29/3
#   alpha = 3/2 * (1 - (11/3)/(29/3)) = 27/29
#   corrected r(a, b+c): cov = 7/3, var(b+c) = 10/3 -> r = 7/sqrt(50)
#   alpha without a: 2 * (1 - (4/3 + 2/3) / (10/3)) = 0.8
HAND = [{"a": 1, "b": 2, "c": 2}, {"a": 2, "b": 2, "c": 3}, {"a": 3, "b": 4, "c": 3}, {"a": 4, "b": 4, "c": 4}]


def test_hand_worked_alpha_item_total_and_alpha_if_deleted():
    rel = cronbach_alpha(HAND, ["a", "b", "c"])
    assert rel.alpha == pytest.approx(27 / 29, abs=1e-12)
    a = rel.items[0]
    assert a.item_total_r == pytest.approx(7 / math.sqrt(50), abs=1e-12)
    assert a.alpha_if_deleted == pytest.approx(0.8, abs=1e-12)
    assert a.mean == pytest.approx(2.5)
    assert (rel.n, rel.respondents, rel.missing_answers, rel.status, rel.low) == (4, 4, 0, "ok", False)
    assert rel.label == "0.93"


def _alpha_covariance(matrix: np.ndarray) -> float:
    """Second formula: alpha from the covariance matrix (trace over grand sum)."""
    k = matrix.shape[1]
    cov = np.cov(matrix, rowvar=False, ddof=1)
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def _alpha_mean_covariance(matrix: np.ndarray) -> float:
    """Third formula: k·c̄ / (v̄ + (k-1)·c̄) with mean item variance v̄ and mean inter-item covariance c̄."""
    k = matrix.shape[1]
    cov = np.cov(matrix, rowvar=False, ddof=1)
    v = np.trace(cov) / k
    c = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    return k * c / (v + (k - 1) * c)


@pytest.mark.parametrize("seed", range(8))
def test_alpha_and_item_total_agree_with_independent_numpy_computation(seed):
    rng = random.Random(seed)
    k, n = rng.randint(2, 7), rng.randint(5, 40)
    trait = [rng.gauss(0, 1) for _ in range(n)]
    rows = [{f"i{j}": min(7, max(1, round(4 + 1.3 * t + rng.gauss(0, 1.2)))) for j in range(k)} for t in trait]
    items = [f"i{j}" for j in range(k)]
    matrix = np.array([[r[i] for i in items] for r in rows], dtype=float)
    rel = cronbach_alpha(rows, items)
    assert abs(rel.alpha - _alpha_covariance(matrix)) < 1e-9
    assert abs(rel.alpha - _alpha_mean_covariance(matrix)) < 1e-9
    for j, st in enumerate(rel.items):
        rest = matrix[:, [c for c in range(k) if c != j]].sum(axis=1)
        if k > 1 and matrix[:, j].std() > 0 and rest.std() > 0:
            assert abs(st.item_total_r - np.corrcoef(matrix[:, j], rest)[0, 1]) < 1e-9
        if k >= 3:
            assert abs(st.alpha_if_deleted - _alpha_covariance(np.delete(matrix, j, axis=1))) < 1e-9


def test_missing_answers_are_counted_and_cases_left_out_listwise():
    rows = HAND + [{"a": 5, "b": None, "c": 1}, {"a": None, "b": None, "c": None}, {"x": 3}]
    rel = cronbach_alpha(rows, ["a", "b", "c"])
    assert rel.alpha == pytest.approx(27 / 29, abs=1e-12)  # the incomplete case is not used
    assert (rel.respondents, rel.n, rel.missing_answers) == (5, 4, 1)
    b = rel.items[1]
    assert (b.n, b.missing) == (4, 1)


def test_low_alpha_is_flagged():
    rows = [{"a": 1, "b": 5}, {"a": 5, "b": 1}, {"a": 3, "b": 3}, {"a": 2, "b": 2}]
    rel = cronbach_alpha(rows, ["a", "b"])
    assert rel.alpha is not None and rel.alpha < 0.7 and rel.low
    assert rel.label.endswith("(under 0.7)")


def test_all_missing_is_not_computable_not_nan():
    rel = cronbach_alpha([{"a": None, "b": None}, {}], ["a", "b"])
    assert rel.alpha is None and rel.status.startswith(NOT_COMPUTABLE)
    assert (rel.respondents, rel.n) == (0, 0)
    assert all(s.mean is None and s.item_total_r is None for s in rel.items)


def test_one_item_is_not_computable():
    rel = cronbach_alpha(HAND, ["a"])
    assert rel.alpha is None and "at least 2 items" in rel.status
    assert rel.items[0].item_total_r is None and rel.items[0].note


def test_constant_answers_are_not_computable():
    rows = [{"a": 3, "b": 3, "c": 3}] * 5
    rel = cronbach_alpha(rows, ["a", "b", "c"])
    assert rel.alpha is None and "same total" in rel.status
    assert rel.label == rel.status
    assert all(s.item_total_r is None and "same answer" in s.note for s in rel.items)


def test_one_constant_item_still_gives_alpha_but_no_item_total():
    rows = [{**r, "k": 4} for r in HAND]
    rel = cronbach_alpha(rows, ["a", "b", "c", "k"])
    assert rel.alpha is not None and not math.isnan(rel.alpha)
    k = rel.items[3]
    assert k.item_total_r is None and "same answer" in k.note
    assert k.alpha_if_deleted == pytest.approx(cronbach_alpha(HAND, ["a", "b", "c"]).alpha, abs=1e-12)


def test_too_few_cases():
    rel = cronbach_alpha(HAND[:2], ["a", "b", "c"])
    assert rel.alpha is None and "2 complete cases" in rel.status


def test_no_nan_anywhere_on_degenerate_inputs():
    cases = [[], [{"a": 1}], HAND[:1], [{"a": 2, "b": 2}] * 3, [{"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 3}]]
    for rows in cases:
        rel = cronbach_alpha(rows, ["a", "b"])
        for v in [rel.alpha] + [x for s in rel.items for x in (s.mean, s.item_total_r, s.alpha_if_deleted)]:
            assert v is None or not math.isnan(v)


def test_feldt_interval_by_hand_from_f_table_values():
    """alpha = 0.80 from n = 11 people and k = 3 items: df (10, 20). From printed F tables,
    F(0.975; 10, 20) = 2.7737 and F(0.025; 10, 20) = 1 / F(0.975; 20, 10) = 1 / 3.4185 = 0.29253, so
    lower = 1 - 0.2 * 2.7737 = 0.44526 and upper = 1 - 0.2 * 0.29253 = 0.94149 (Feldt, Woodruff & Salih 1987)."""
    from workbook.domain.psychometrics import feldt_ci

    low, high = feldt_ci(0.80, 11, 3)
    assert low == pytest.approx(0.44526, abs=2e-4) and high == pytest.approx(0.94149, abs=2e-4)
    assert feldt_ci(0.8, 1, 3) is None and feldt_ci(0.8, 11, 1) is None


def test_f_quantiles_match_printed_tables():
    from workbook.domain.psychometrics import f_cdf, f_quantile

    # upper percentage points of F from standard printed tables
    for p, d1, d2, table in [(0.95, 5, 10, 3.33), (0.99, 1, 1, 4052.0), (0.975, 10, 20, 2.77), (0.95, 1, 30, 4.17), (0.99, 12, 60, 2.50)]:
        assert f_quantile(p, d1, d2) == pytest.approx(table, abs=0.01 if table < 100 else 1.0)
    assert f_cdf(1.0, 7, 7) == pytest.approx(0.5)  # equal df: the median of F is 1


def test_reliability_carries_feldts_interval_by_hand():
    """HAND: alpha = 27/29 from n = 4, k = 3, so df (3, 6). Printed tables: F(0.975; 3, 6) = 6.5988 and
    F(0.975; 6, 3) = 14.735, so F(0.025; 3, 6) = 0.067866; lower = 1 - (2/29)(6.5988) = 0.54491,
    upper = 1 - (2/29)(0.067866) = 0.99532."""
    rel = cronbach_alpha(HAND, ["a", "b", "c"])
    low, high = rel.ci95
    assert low == pytest.approx(0.54491, abs=2e-4) and high == pytest.approx(0.99532, abs=2e-4)
    assert rel.ci_label == "0.54 to 1.00"
    assert cronbach_alpha(HAND[:2], ["a", "b", "c"]).ci95 is None  # alpha not computable: no interval
