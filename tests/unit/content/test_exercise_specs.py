"""Exercise settings in module YAML are validated when the content loads: one line, with the place."""
from pathlib import Path

import pytest

from workbook.content.catalogue import load_directory
from workbook.errors import ContentError

ROOT = Path(__file__).resolve().parents[3]


def content_with(tmp_path, name, old, new):
    import shutil

    for f in (ROOT / "exercises").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / name).read_text()
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1))
    return tmp_path


@pytest.mark.parametrize(
    "name, old, new, expected",
    [
        ("m02_time_space.yaml", "delivery_phase: delivery", "delivery_phase: deliveryy", "delivery_phase: 'deliveryy' is not one of the phases"),
        ("m02_time_space.yaml", "      where_none: \"—\"\n", "", "exercises[0]: texts.where_none: is missing"),
        ("m02_time_space.yaml", "      - id: own_site\n", "      - id: client_site\n", "places[1].id: 'client_site' is used twice"),
        ("m04_process_outcome.yaml", "    high: 3", "    high: 9", "high: 9 must lie between 2 and 5"),
        ("m04_process_outcome.yaml", "      overkill: \"Possible overkill\"\n", "", "categories: label all six"),
        ("m04_process_outcome.yaml", "dataset: client_statements.yaml", "dataset: ../secrets.txt", "exercises[0]: dataset: String should match pattern"),
        ("m01_servuction.yaml", "      complete:", "      completed:", "exercises[0]: texts.complete: is missing"),
    ],
)
def test_bad_exercise_settings_are_named(tmp_path, name, old, new, expected):
    with pytest.raises(ContentError) as exc:
        load_directory(content_with(tmp_path, name, old, new))
    msg = str(exc.value)
    assert name in msg and expected in msg, msg
    assert "\n" not in msg


def test_every_classify_exercise_has_its_statements(shipped):
    from workbook.content.exercise_specs import spec_of
    from workbook.content.statements import load_statements
    from workbook.settings import get_settings

    cat = shipped()
    found = [e for m in cat.modules.values() for e in m.exercises if e.type == "classify"]
    assert found
    for e in found:
        assert len(load_statements(get_settings().datasets_dir / spec_of(e).dataset).statements) >= 40


def test_exercise_ids_are_unique_across_the_curriculum(tmp_path):
    """Answers are stored by exercise id: a second module reusing one would overwrite the first's answers."""
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    bad = content_with(tmp_path / "a", "m02_time_space.yaml", "  - id: time_space_reflection\n", "  - id: reflection\n")
    with pytest.raises(ContentError, match=r"module m02: exercises\[1\]\.id: 'reflection' is already used by module m01"):
        load_directory(bad)
    clash = content_with(tmp_path / "b", "m02_time_space.yaml", "  - id: time_space_reflection\n", "  - id: coproduction\n")
    with pytest.raises(ContentError, match="'coproduction' is already used by instrument coproduction"):
        load_directory(clash)
