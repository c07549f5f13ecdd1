"""One exercise-type registry: the content's declared types, the ui's builders and the YAML agree."""
from __future__ import annotations

from pathlib import Path

import pytest

from workbook.content.catalogue import EXERCISE_TYPES, Exercise
from workbook.content.exercise_specs import TYPES
from workbook.content.yaml_text import load_yaml
from workbook.ui.widgets import exercises

ROOT = Path(__file__).resolve().parents[3]


def _yaml_types() -> dict[str, list[str]]:
    """Every ``type:`` of an exercise in exercises/*.yaml, read as plain YAML (not through the models)."""
    used: dict[str, list[str]] = {}
    for path in sorted((ROOT / "exercises").glob("*.yaml")):
        doc = load_yaml(path.read_text(encoding="utf-8"))
        for ex in doc.get("exercises", []) if isinstance(doc, dict) else []:
            used.setdefault(ex["type"], []).append(f"{path.name}:{ex['id']}")
    return used


def test_the_content_model_accepts_exactly_the_declared_types():
    assert EXERCISE_TYPES == tuple(TYPES)


def test_every_declared_type_has_a_builder_and_every_builder_a_declared_type():
    built = exercises.builders()
    assert sorted(built) == sorted(TYPES)


def test_every_type_used_in_the_yaml_is_declared_and_every_declared_type_is_used():
    used = _yaml_types()
    assert used, "no exercise found in exercises/*.yaml"
    assert sorted(set(used) - set(TYPES)) == []
    # a declared type no module uses is dead code (its widget is never drawn, never tested by the content)
    assert sorted(set(TYPES) - set(used)) == []


def test_registering_an_undeclared_type_is_refused():
    with pytest.raises(ValueError, match="'sketch' is not declared in content/exercise_specs.py TYPES"):
        exercises.register("sketch")(lambda ctx, spec: [])
    with pytest.raises(ValueError, match="'text' is registered twice"):
        exercises.register("text")(lambda ctx, spec: [])
    assert "sketch" not in exercises.builders()


def test_an_undeclared_type_in_the_yaml_is_refused_naming_the_declared_ones():
    with pytest.raises(ValueError, match="type 'sketch' is not one of text, rated_checklist"):
        Exercise(id="x", type="sketch")
