"""When a module is done (workbook/domain/completion.py): the rule worked through by hand."""
from workbook.domain.completion import instrument_complete, module_status, required_exercises
from workbook.domain.scoring import DimensionScore


def _dim(mean):
    return DimensionScore("d", "D", mean, None if mean is None else 50.0, 3 if mean else 1, 3)


def test_display_only_exercises_are_not_required():
    assert required_exercises([("profile", "profile_result"), ("routes", "choice"), ("feedback", "feedback360"),
                               ("attempts", "attempts"), ("reflection", "text")]) == {"routes", "reflection"}


def test_instrument_complete_needs_every_dimension_scored():
    assert instrument_complete([_dim(3.0), _dim(4.5)])
    assert not instrument_complete([_dim(3.0), _dim(None)])
    assert not instrument_complete([])


def test_done_needs_the_questionnaire_and_every_required_exercise():
    req = {"map", "reflection"}
    assert module_status(req, {"map", "reflection"}, True, "in_progress") == "done"
    assert module_status(req, {"map", "reflection", "extra"}, None, None) == "done"  # no questionnaire in the module
    assert module_status(req, {"map"}, True, "in_progress") == "in_progress"  # the reflection is missing
    assert module_status(req, {"map", "reflection"}, False, "in_progress") == "in_progress"  # a dimension unscored


def test_a_questionnaire_only_module_is_done_once_scored():
    assert module_status(set(), set(), True, "in_progress") == "done"
    assert module_status(set(), set(), False, "in_progress") == "in_progress"


def test_marked_done_by_the_person_stays_done_and_nothing_is_not_started():
    assert module_status({"map"}, set(), False, "done") == "done"
    assert module_status({"map"}, set(), None, None) is None
    assert module_status({"map"}, {"other"}, None, None) == "in_progress"  # something saved: started
