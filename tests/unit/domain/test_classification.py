"""Client statements and grading against the key (Module 4)."""
import pytest

from workbook.content.statements import Statement, load_statements, read_statements
from workbook.domain.classification import grade, key_counts
from workbook.errors import ContentError
from workbook.settings import get_settings


def st(sid, key, theme="t"):
    return Statement(id=sid, text=f"text {sid}", key=key, theme=theme, explanation=f"why {sid}")


def test_grade_counts_right_answers_and_lists_the_misses():
    statements = [st("s1", "outcome", "a"), st("s2", "process", "a"), st("s3", "process", "b"), st("s4", "outcome", "b")]
    g = grade(statements, {"s1": "outcome", "s2": "outcome", "s3": "process", "s4": "maybe"})
    assert (g.total, g.answered, g.correct) == (4, 3, 2)
    assert [(m.statement.id, m.given) for m in g.missed] == [("s2", "outcome")]
    assert g.by_theme == {"a": (1, 1), "b": (1, 0)}
    assert g.share == pytest.approx(2 / 3)
    assert grade(statements, {}).share is None


def test_shipped_statements_are_enough_with_both_sides_and_unique_texts():
    data = load_statements(get_settings().datasets_dir / "client_statements.yaml")
    assert len(data.statements) >= 40
    counts = key_counts(data.statements)
    assert counts["process"] >= 10 and counts["outcome"] >= 10  # the mix is the workbook's choice, not evidence
    assert all(s.explanation and s.theme in data.themes for s in data.statements)
    assert len({s.text for s in data.statements}) == len(data.statements)


def test_statement_ids_keep_their_meaning_and_dropped_ids_are_not_reused():
    """A statement whose meaning changed got a new id; the dropped ids stay unused, so old answers keep their meaning."""
    by_id = {s.id: s for s in load_statements(get_settings().datasets_dir / "client_statements.yaml").statements}
    assert not {"s16", "s29", "s42"} & set(by_id)
    assert by_id["s39"].text == "The help desk solves most of our tickets at the first call."
    assert by_id["s39"].key == "outcome"  # solving the problem is a help desk's main benefit
    assert by_id["s41"].key == by_id["s38"].key == "process"  # review meetings and purchasing procedures
    assert "Mathieu's process elements" not in by_id["s35"].explanation  # the seed lists no such elements


def test_no_statement_is_about_the_price_level():
    """The rule stated in Module 4: what the service costs is neither outcome nor process, so it is not in the sort."""
    data = load_statements(get_settings().datasets_dir / "client_statements.yaml")
    for s in data.statements:
        assert "price" not in s.text.lower() and "budget" not in s.text.lower(), s.id


def test_worked_journey_map_tags_situations_like_the_key():
    """Needs workshop, negotiation, business review and renewal proposal are process, as the key reads meetings and buying."""
    from workbook.ui.pages.figures import example_map

    element = {t.id: t.element for _s, t in example_map().touchpoints()}
    assert [element[t] for t in ("t04", "t06", "t14", "t16")] == ["process"] * 4
    assert element["t12"] == "process"  # the monitoring call, keyed process in the case's own statements (Module 4)
    assert element["t10"] == "outcome"  # cooling restored after the breakdown: the benefit itself


def test_a_broken_statements_file_is_named_with_the_place(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("kind: statements\nsource: x\nthemes: {a: A}\nstatements:\n  - {id: s1, text: t, key: result, theme: a, explanation: e}\n")
    with pytest.raises(ContentError, match=r"bad\.yaml: statements\[0\]\.key: "):
        read_statements(f)
    f.write_text("kind: statements\nsource: x\nthemes: {a: A}\nstatements:\n  - {id: s1, text: t, key: process, theme: b, explanation: e}\n")
    with pytest.raises(ContentError, match=r"statements\[0\]\.theme: 'b' is not one of a"):
        read_statements(f)
    with pytest.raises(ContentError, match="no such statements file"):
        read_statements(tmp_path / "missing.yaml")
