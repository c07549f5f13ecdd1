"""Cohort aggregates (pure): choice exercises counted across people, hidden under the threshold."""
from workbook.analysis.cohort_scores import choice_tally
from workbook.content.catalogue import Exercise

PICK = Exercise(id="ladder", type="pick_one", prompt="Where on the ladder?",
                options=[{"value": "have", "label": "Have"}, {"value": "better", "label": "Better"}, {"value": "cheaper", "label": "Cheaper"}])
ROWS = Exercise(id="layer_sort", type="row_list", prompt="Sort your actions", count_by="layer",
                columns=[{"id": "action", "label": "Action"},
                         {"id": "layer", "label": "Layer", "kind": "choice", "options": [{"value": "emotional", "label": "Emotional"}, {"value": "value", "label": "Value"}]}])


def test_pick_one_counts_people_per_option_only_from_the_threshold():
    answers = {1: {"choice": "have"}, 2: {"choice": "better", "why": "x"}}
    hidden = choice_tally(PICK, answers, threshold=3)
    assert (hidden.people, hidden.shown, hidden.counts) == (2, False, ())
    answers[3] = {"choice": "have"}
    answers[4] = {"why": "no choice yet"}
    shown = choice_tally(PICK, answers, threshold=3)
    assert (shown.people, shown.unit, shown.counts) == (3, "people", (("Have", 2), ("Better", 1), ("Cheaper", 0)))


def test_row_list_counts_rows_per_category_across_people():
    answers = {
        1: {"1.action": "dinner", "1.layer": "emotional", "2.action": "training", "2.layer": "value"},
        2: {"1.action": "gift", "1.layer": "emotional"},
        3: {"1.action": "audit", "1.layer": "value", "2.action": "", "2.layer": None},
        4: {"1.action": "not sorted yet"},
    }
    t = choice_tally(ROWS, answers, threshold=3)
    assert (t.people, t.unit, t.counts) == (3, "rows", (("Emotional", 2), ("Value", 2)))
    assert not choice_tally(ROWS, answers, threshold=4).shown
    assert choice_tally(Exercise(id="t", type="text"), answers, 1) is None


def test_classification_agreement_with_the_key_from_the_threshold():
    from workbook.analysis.cohort_scores import key_agreement
    from workbook.content.statements import Statement

    sts = [Statement(id="s1", text="They delivered on time", key="process", theme="t", explanation="e"),
           Statement(id="s2", text="The plant runs", key="outcome", theme="t", explanation="e")]
    ex = Exercise(id="classify", type="text", prompt="Classify")
    answers = {1: {"s1": "process", "s2": "process"}, 2: {"s1": "process", "s2": "outcome"}, 4: {}}
    hidden = key_agreement(ex, sts, answers, 3)
    assert (hidden.people, hidden.shown, hidden.hardest) == (2, False, ())
    answers[3] = {"s1": "outcome", "s2": "outcome"}
    k = key_agreement(ex, sts, answers, 3)
    assert k.shown and round(k.mean_share, 1) == 66.7  # 1/2, 2/2, 1/2 like the key
    assert k.hardest == (("The plant runs", "outcome", 2, 3), ("They delivered on time", "process", 2, 3))
