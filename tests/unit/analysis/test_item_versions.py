"""Item versioning (issue #12): a reworded or split item gets a new id; the old one stays declared
as retired so that answers given to it keep their meaning. Expected scores are worked by hand."""
import pytest

from workbook.content.catalogue import catalogue, parse_document
from workbook.domain.scoring import NOT_ENOUGH, score
from workbook.errors import ContentError, InvalidAnswer
from workbook.store import attempts, current_answers, save_answer

INST = "manager_profile"


def _store_as_before_the_change(db, person_id, rows, attempt=1, rater_id=None):
    """Answers as they were stored before versioning: plain rows, no version mark (what a database
    or an export written by the earlier release holds)."""
    from workbook.store.models import Answer

    with db.session() as s:
        for item, value in rows.items():
            s.add(Answer(person_id=person_id, rater_id=rater_id, module="m03", exercise=INST, item=item, attempt=attempt, value=value))


def _by_dim(scores):
    return {s.dimension: s for s in scores}


# answered on version 1 (mp5, mp6, mp13 still asked): operational mp5 4, mp6 2, mp7 5, mp8 2 (reverse: 4);
# leadership mp13 5, mp14 3, mp15 4 (reverse: 2), mp16 blank; technical only mp1.
OLD = {"mp1": 5, "mp5": 4, "mp6": 2, "mp7": 5, "mp8": 2, "mp13": 5, "mp14": 3, "mp15": 4}


def test_an_attempt_stored_on_the_old_items_scores_exactly_as_before(db, cohort):
    ann = cohort["ident"]["Ann"]
    _store_as_before_the_change(db, ann.person_id, OLD)
    d = _by_dim(score(catalogue().instrument(INST), current_answers(db, ann, ann.person_id, INST)))
    # version 1 by hand: operational (4 + 2 + 5 + 4) / 4 = 3.75 -> (3.75 - 1) / 4 * 100 = 68.75, 4 of 4 answered
    assert (d["operational"].mean, d["operational"].score_100, d["operational"].answered, d["operational"].items) == (3.75, 68.75, 4, 4)
    # leadership (5 + 3 + 2) / 3 with 3 of its 4 items answered (>= 2/3)
    assert d["leadership"].mean == pytest.approx(10 / 3) and (d["leadership"].answered, d["leadership"].items) == (3, 4)
    assert d["technical"].status == NOT_ENOUGH and d["technical"].items == 4  # 1 of 4
    # on the current items this attempt would have 2 of 6 operational and 2 of 5 leadership answers: not enough
    # the same through the attempts table the page and the reports show
    from workbook.render.person_360_html import attempts_html

    html = attempts_html(catalogue().instrument(INST), attempts(db, ann, ann.person_id, INST))
    assert "<tr><td>Operational excellence</td><td>69</td></tr>" in html and "<tr><td>Leadership</td><td>58</td></tr>" in html


def test_a_new_attempt_is_scored_on_the_current_items_even_when_it_answered_only_unchanged_ones(db, cohort):
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    inst = catalogue().instrument(INST)
    same = {"mp14": 3, "mp15": 4, "mp16": 5}  # leadership items kept in version 2
    _store_as_before_the_change(db, ann.person_id, same)  # before the change: version 1, 3 of 4 answered
    for item, value in same.items():
        save_answer(db, ben, ben.person_id, "m03", INST, item, value)  # now: version 2, 3 of 5 answered
    old = _by_dim(score(inst, current_answers(db, ann, ann.person_id, INST)))["leadership"]
    new = _by_dim(score(inst, current_answers(db, ben, ben.person_id, INST)))["leadership"]
    assert old.mean == pytest.approx((3 + 2 + 5) / 3) and (old.answered, old.items) == (3, 4)
    assert new.mean is None and (new.answered, new.items) == (3, 5)
    assert current_answers(db, ben, ben.person_id, INST) == same  # the version mark is not an answer
    assert current_answers(db, ben, ben.person_id, INST).version == 2


def test_an_old_attempt_continued_after_the_change_moves_to_the_current_items(db, cohort):
    ann = cohort["ident"]["Ann"]
    inst = catalogue().instrument(INST)
    _store_as_before_the_change(db, ann.person_id, OLD)
    for item, value in {"mp5a": 2, "mp5b": 2, "mp6a": 2, "mp6b": 2}.items():
        save_answer(db, ann, ann.person_id, "m03", INST, item, value)
    d = _by_dim(score(inst, current_answers(db, ann, ann.person_id, INST)))
    # version 2: mp5a, mp5b, mp6a, mp6b 2 each, mp7 5, mp8 keyed 4; the retired mp5 and mp6 no longer count
    assert d["operational"].mean == pytest.approx((2 * 4 + 5 + 4) / 6) and d["operational"].items == 6


def test_retired_items_take_no_new_answer_and_are_not_shown(db, cohort):
    ann = cohort["ident"]["Ann"]
    with pytest.raises(InvalidAnswer) as exc:
        save_answer(db, ann, ann.person_id, "m03", INST, "mp5", 4)
    assert str(exc.value) == "manager_profile/mp5: this statement was retired in version 2 of manager_profile (replaced by mp5a, mp5b); it takes no new answers"
    assert current_answers(db, ann, ann.person_id, INST) == {}
    from workbook.ui.widgets.likert import LikertForm

    for name, inst in catalogue().instruments.items():
        form = LikertForm(inst, lambda *_: None)
        assert not set(form.radios) & {i.id for i in inst.retired_items}, name
        assert list(form.radios) == [i.id for i in inst.items]
        for cat in ("manager", "peer", "direct_report", "client"):
            assert not any(i.retired for i in inst.items_for(cat)), (name, cat)


def test_every_retired_item_names_current_replacements_and_every_version_keeps_two_items_per_dimension():
    for name, inst in catalogue().instruments.items():
        for old in inst.retired_items:
            assert old.replaced_by and all(not inst.item(n).retired for n in old.replaced_by), (name, old.id)
        for version in range(1, inst.version + 1):
            for dim in inst.dimensions:
                assert sum(1 for i in inst.items_for(version=version) if i.dimension == dim.id) >= 2, (name, version, dim.id)


def test_demo_answers_use_only_current_items():
    from workbook.store.demo import read_demo, read_demo_360

    cat = catalogue()
    _cohort, answers = read_demo()
    stale = [(a["exercise"], a["item"]) for a in answers if a["exercise"] in cat.instruments and cat.instrument(a["exercise"]).item(a["item"]).retired]
    stale += [(INST, r["item"]) for r in read_demo_360() if r["item"] != "_comment" and cat.instrument(INST).item(r["item"]).retired]
    assert stale == []


BASE = """
kind: instrument
id: v
title: V
version: 2
scale: {points: 5, anchors: {1: a, 2: b, 3: c, 4: d, 5: e}}
dimensions: [{id: d1, label: D1}]
items:
  - {id: i1, text: one, dimension: d1}
  - {id: i2a, text: two a, dimension: d1, added_in: 2}
  - {id: i2b, text: two b, dimension: d1, added_in: 2}
retired_items:
  - {id: i2, text: two, dimension: d1, retired_in: 2, replaced_by: [i2a, i2b]}
"""


@pytest.mark.parametrize(
    "mutation, expected",
    [
        (("version: 2\n", ""), "x.yaml: items[1] (i2a).added_in: 2 is after the instrument's version 1"),
        (("replaced_by: [i2a, i2b]", "replaced_by: [i2a, i9]"), "x.yaml: retired_items[0] (i2).replaced_by: 'i9' is not an item of instrument v"),
        (("  - {id: i2, text: two, dimension: d1, retired_in: 2", "  - {id: i2, text: two, dimension: d1"), "x.yaml: retired_items[0]: i2 has no retired_in"),
        (("  - {id: i1, text: one, dimension: d1}", "  - {id: i1, text: one, dimension: d1, retired_in: 2}"), "x.yaml: items[0]: i1 is retired (retired_in): move it to retired_items"),
        (("  - {id: i1, text: one, dimension: d1}\n", ""), "x.yaml: dimension d1 has 1 item in version 1; a dimension needs at least 2"),
        (("id: i2b, text: two b, dimension: d1, added_in: 2", "id: i2, text: two b, dimension: d1, added_in: 2"), "x.yaml: retired_items[0].id: 'i2' is used twice"),
    ],
)
def test_version_mistakes_are_named_in_one_line(mutation, expected):
    parse_document(BASE, "x.yaml")  # the unmutated document is valid
    with pytest.raises(ContentError) as exc:
        parse_document(BASE.replace(*mutation), "x.yaml")
    assert str(exc.value).startswith(expected) and "\n" not in str(exc.value), str(exc.value)


def test_answered_version_from_the_mark_or_the_oldest_version_that_fits():
    inst = parse_document(BASE)
    assert inst.answered_version({"i1": 3, "i2": 4}) == 1  # a retired item: only version 1 has it
    assert inst.answered_version({"i1": 3, "i2a": 4}) == 2
    assert inst.answered_version({"i1": 3}) == 1  # no mark: stored before versioning
    assert inst.answered_version({"i1": 3, "_version": 2}) == 2
    assert inst.answered_version({}) == 2
    by_hand = {s.dimension: s for s in score(inst, {"i1": 3, "i2": 5})}["d1"]
    assert (by_hand.mean, by_hand.items) == (4.0, 2)
    by_hand = {s.dimension: s for s in score(inst, {"i1": 3, "i2a": 5, "i2b": 1})}["d1"]
    assert (by_hand.mean, by_hand.items) == (3.0, 3)


def test_cohort_statistics_never_mix_retired_and_current_items():
    from workbook.analysis.cohort_statistics import instrument_stats, stats_text

    inst = parse_document(BASE)
    answers = {
        "new1": {"i1": 1, "i2a": 2, "i2b": 1}, "new2": {"i1": 3, "i2a": 3, "i2b": 4}, "new3": {"i1": 5, "i2a": 5, "i2b": 4},
        "old": {"i1": 2, "i2": 5},  # answered version 1
    }
    st = instrument_stats(inst, answers, threshold=3)
    rel = st.reliability[0]
    assert st.people == 4 and st.earlier_version == 1
    assert rel.respondents == 3 and [i.item for i in rel.items] == ["i1", "i2a", "i2b"]  # the retired i2 is not a column
    # the dimension scores count everyone, each on their own version: (4/3, 10/3, 14/3) and 3.5 -> 0-100
    agg = st.aggregates[0]
    assert agg.n == 4 and agg.mean == pytest.approx(((1 / 3) + (7 / 3) + (11 / 3) + 2.5) / 4 * 25)
    assert "1 person answered an earlier version of the statements" in stats_text(st, inst)
