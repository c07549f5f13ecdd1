"""360-degree comparison: hand-worked means, blind spots and hidden strengths, anonymity rules."""
import pytest

from workbook.content.catalogue import catalogue, parse_document
from workbook.domain.feedback360 import BLIND_SPOT, HIDDEN_STRENGTH, NOT_ENOUGH_RATERS, RaterResponse, compare


def _instrument(id_: str, rater_items: str = "") -> object:
    """The test instrument: dimensions x and y of three items each (x2 reverse-keyed); ``rater_items`` a YAML line limiting some raters."""
    return parse_document(f"""
kind: instrument
id: {id_}
title: T
scale: {{points: 5, anchors: {{1: a, 2: b, 3: c, 4: d, 5: e}}}}
{rater_items}
dimensions: [{{id: x, label: X}}, {{id: y, label: Y}}]
items:
  - {{id: x1, text: t, text_360: t, dimension: x}}
  - {{id: x2, text: t, text_360: t, dimension: x, reverse: true}}
  - {{id: x3, text: t, text_360: t, dimension: x}}
  - {{id: y1, text: t, text_360: t, dimension: y}}
  - {{id: y2, text: t, text_360: t, dimension: y}}
  - {{id: y3, text: t, text_360: t, dimension: y}}
""")


INST = _instrument("t360")
INST_C = _instrument("t360c", "rater_items: {client: [x1, x2, x3]}")  # clients judge only the x items


def r(cat, x, y, comment=""):
    """A rater giving x to every x item (x2 reverse-keyed back to x) and y to every y item."""
    return RaterResponse(cat, {"x1": x, "x2": 6 - x, "x3": x, "y1": y, "y2": y, "y3": y}, comment)


SELF = {"x1": 5, "x2": 1, "x3": 5, "y1": 2, "y2": 2, "y3": "dont_know"}  # x = 5; y = 2 (2 of 3 answered)


def by_dim(fb):
    return {d.dimension: d for d in fb.dimensions}


def test_self_vs_categories_by_hand_with_blind_spot_and_hidden_strength():
    peers = [r("peer", 3, 4), r("peer", 4, 4), r("peer", 2, 5)]
    fb = compare(INST, SELF, peers, threshold=3, blind_spot_gap=1.0)
    d = by_dim(fb)
    assert d["x"].self_mean == 5 and d["y"].self_mean == 2
    assert d["x"].cells["peer"].mean == pytest.approx(3.0)  # (3+4+2)/3
    assert d["y"].cells["peer"].mean == pytest.approx(13 / 3)
    assert d["x"].gap == pytest.approx(2.0) and d["x"].flag == BLIND_SPOT
    assert d["y"].gap == pytest.approx(2 - 13 / 3) and d["y"].flag == HIDDEN_STRENGTH


def test_gap_exactly_at_threshold_counts_and_just_under_does_not():
    # others' x = 4 exactly: gap 1.0 with self 5
    fb = compare(INST, SELF, [r("peer", 4, 2)] * 3, threshold=3, blind_spot_gap=1.0)
    assert by_dim(fb)["x"].flag == BLIND_SPOT
    fb = compare(INST, SELF, [r("peer", 4, 2)] * 3, threshold=3, blind_spot_gap=1.01)
    assert by_dim(fb)["x"].flag == ""
    assert by_dim(fb)["y"].flag == ""  # y: 2 vs 2


def test_category_under_threshold_shows_not_enough_raters_and_is_left_out_of_all():
    raters = [r("peer", 1, 1), r("peer", 1, 1), r("peer", 1, 1), r("client", 5, 5), r("client", 5, 5)]
    fb = compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0)
    x = by_dim(fb)["x"]
    assert x.cells["client"].mean is None and x.cells["client"].reason.startswith(NOT_ENOUGH_RATERS)
    assert fb.categories["client"] == {"answered": 2, "shown": False, "reason": "not enough raters (2 answered, 3 needed)"}
    # the hidden clients do not leak through "all raters": all == peers only
    assert x.cells["all"].mean == pytest.approx(1.0) and x.cells["all"].raters == 3
    # the frame for the chart holds self and shown cells only
    frame = fb.frame()
    assert set(frame["who"]) == {"Self", "Peers", "All raters"}


def test_threshold_reached_by_the_third_rater():
    two = compare(INST, SELF, [r("client", 4, 4)] * 2, threshold=3, blind_spot_gap=1.0)
    three = compare(INST, SELF, [r("client", 4, 4)] * 3, threshold=3, blind_spot_gap=1.0)
    assert not two.categories["client"]["shown"] and by_dim(two)["x"].cells["all"].mean is None
    assert three.categories["client"]["shown"] and by_dim(three)["x"].cells["client"].mean == 4


def test_rater_who_answered_nothing_does_not_count():
    raters = [r("peer", 4, 4), r("peer", 4, 4), RaterResponse("peer", {}), RaterResponse("peer", {"x1": None})]
    fb = compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0)
    assert fb.categories["peer"]["answered"] == 2 and not fb.categories["peer"]["shown"]


def test_manager_alone_only_when_setting_allows():
    raters = [r("manager", 2, 2)]
    hidden = compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0, manager_shown_alone=False)
    shown = compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0, manager_shown_alone=True)
    assert by_dim(hidden)["x"].cells["manager"].mean is None
    assert "manager is not shown alone" in hidden.categories["manager"]["reason"]
    assert by_dim(shown)["x"].cells["manager"].mean == 2
    assert shown.comments == []  # one rater: comments would be attributable
    # a peer alone is never shown, whatever the manager setting
    assert not compare(INST, SELF, [r("peer", 2, 2)], threshold=3, blind_spot_gap=1.0, manager_shown_alone=True).categories["peer"]["shown"]


def test_dimension_with_too_few_scored_raters_is_hidden_inside_a_shown_category():
    # the third peer answers only y: x is scored by 2 peers only
    raters = [r("peer", 4, 4), r("peer", 4, 4), RaterResponse("peer", {"y1": 3, "y2": 3, "y3": 3})]
    fb = compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0)
    d = by_dim(fb)
    assert fb.categories["peer"]["shown"]
    assert d["x"].cells["peer"].mean is None and d["x"].cells["peer"].reason.startswith(NOT_ENOUGH_RATERS)
    assert d["y"].cells["peer"].mean == pytest.approx(11 / 3)


def test_comments_unattributed_random_order_only_from_shown_categories():
    raters = [r("peer", 3, 3, "alpha"), r("peer", 3, 3, "beta"), r("peer", 3, 3, " "), r("client", 3, 3, "secret client")]
    orders = {tuple(compare(INST, SELF, raters, threshold=3, blind_spot_gap=1.0, seed=s).comments) for s in range(20)}
    assert all(set(o) == {"alpha", "beta"} for o in orders)
    assert len(orders) == 2  # both orders occur: not the invitation order every time
    assert all(isinstance(c, str) for o in orders for c in o)


def test_no_self_answers_gives_no_gap():
    fb = compare(INST, {}, [r("peer", 4, 4)] * 3, threshold=3, blind_spot_gap=1.0)
    assert all(d.self_mean is None and d.gap is None and d.flag == "" for d in fb.dimensions)


def test_manager_profile_instrument_is_ready_for_360():
    inst = catalogue().instrument("manager_profile")
    assert all(i.text_360 and i.text_360 != i.text for i in inst.items)
    assert {d.id for d in inst.dimensions} == {"technical", "operational", "marketing", "leadership"}
    assert sum(i.reverse for i in inst.items) >= 4


def test_a_category_has_no_cell_on_a_dimension_it_does_not_rate_and_its_answers_there_are_ignored():
    # clients answered y as well (e.g. stored before the item sets): those answers must not count anywhere
    clients = [r("client", 2, 1), r("client", 3, 1), r("client", 4, 1)]
    peers = [r("peer", 4, 5), r("peer", 4, 5), r("peer", 4, 5)]
    fb = compare(INST_C, SELF, clients + peers, threshold=3, blind_spot_gap=1.0)
    d = by_dim(fb)
    assert d["x"].cells["client"].mean == pytest.approx(3.0)  # (2+3+4)/3
    assert "client" not in d["y"].cells  # absent, not hidden
    assert fb.not_rated == {"client": ["y"]}
    assert d["y"].cells["all"].mean == pytest.approx(5.0) and d["y"].cells["all"].raters == 3  # peers only
    assert d["x"].cells["all"].mean == pytest.approx((2 + 3 + 4 + 4 * 3) / 6)
    # a client who answered only items clients do not rate has not answered
    only_y = compare(INST_C, SELF, [RaterResponse("client", {"y1": 5, "y2": 5, "y3": 5})] * 3, threshold=3, blind_spot_gap=1.0)
    assert only_y.categories["client"]["answered"] == 0
    # the views say why, instead of "not enough answers"
    from workbook.analysis.person_360 import feedback_text
    from workbook.render.person_360_html import feedback_html

    html = feedback_html(fb)
    assert "Clients are not asked about Y: they cannot observe it" in html
    row_y = html.split("<tr><td>Y</td>")[1].split("</tr>")[0]
    assert "wb-not-rated" in row_y and NOT_ENOUGH_RATERS not in row_y and "1.00" not in row_y
    assert "* Clients are not asked about Y" in feedback_text(fb)
    # with every category rating everything there is no note
    assert compare(INST, SELF, clients + peers, threshold=3, blind_spot_gap=1.0).not_rated == {}
def test_comments_need_the_comment_threshold_not_only_the_score_threshold():
    three = [r("peer", 3, 3, "alpha"), r("peer", 3, 3, "beta"), r("peer", 3, 3, "gamma")]
    fb = compare(INST, SELF, three, threshold=3, blind_spot_gap=1.0, comment_threshold=5)
    assert fb.categories["peer"]["shown"]  # the scores are shown ...
    assert fb.comments == [] and fb.comments_withheld and fb.comment_threshold == 5  # ... the comments are not
    five = three + [r("client", 3, 3, "delta"), r("client", 3, 3, ""), r("client", 3, 3, "")]
    fb = compare(INST, SELF, five, threshold=3, blind_spot_gap=1.0, comment_threshold=5)
    assert sorted(fb.comments) == ["alpha", "beta", "delta", "gamma"] and not fb.comments_withheld
    # a comment threshold under the score threshold never lowers the bar
    fb = compare(INST, SELF, [r("peer", 3, 3, "alpha")] * 2 + [r("client", 3, 3, "x")] * 3, threshold=3, blind_spot_gap=1.0, comment_threshold=1)
    assert fb.comments == ["x"] * 3 and fb.comment_threshold == 3


def test_pulse_compare_by_hand():
    from workbook.domain.feedback360 import pulse_compare

    peers = lambda *vals: [RaterResponse("peer", {"x1": v, "x2": 6 - v}) for v in vals]
    before = peers(2, 3, 1) + [RaterResponse("client", {"x1": 5, "x2": 1})]  # one client: left out
    after = peers(4, 4, 5) + [RaterResponse("client", {"x1": 1})]
    x1, x2 = pulse_compare(INST, ["x1", "x2"], before, after, threshold=3)
    assert (x1.before, x1.after, x1.change) == (pytest.approx(2.0), pytest.approx(13 / 3), pytest.approx(7 / 3))
    assert (x1.n_before, x1.n_after) == (3, 3)
    # x2 is reverse-keyed: 6 - (6 - v) = v, so the same means
    assert (x2.before, x2.after) == (pytest.approx(2.0), pytest.approx(13 / 3))
    short = pulse_compare(INST, ["x1"], before, peers(4, 4) + [RaterResponse("client", {"x1": 1})] * 2, threshold=3)[0]
    assert short.before is None and short.after is None and short.change is None
    assert short.reason == "not enough raters (after: no group of at least 3 raters answered it)"


def test_suppressed_cells_counted_by_hand():
    # peers: 3 (shown, 2 dimensions); clients: 2 (hidden, 2 cells); managers: nobody (not counted); all: 2 shown
    fb = compare(INST, SELF, [r("peer", 3, 3)] * 3 + [r("client", 4, 4)] * 2, threshold=3, blind_spot_gap=1.0)
    assert fb.suppressed() == (2, 6)
    fb = compare(INST, SELF, [r("peer", 3, 3)] * 2, threshold=3, blind_spot_gap=1.0)
    assert fb.suppressed() == (4, 4)  # peers hidden on both dimensions, and so "all raters"
