"""Client statements and grading against the key (Module 4)."""
import pytest

from workbook.classification import Statement, grade, key_counts, load_statements, read_statements
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


def test_shipped_statements_are_enough_and_clients_talk_mostly_about_process():
    data = load_statements(get_settings().datasets_dir / "client_statements.yaml")
    assert len(data.statements) >= 40
    counts = key_counts(data.statements)
    assert counts["process"] > 1.5 * counts["outcome"] > 0  # Mathieu's observation, reflected in the key
    assert all(s.explanation and s.theme in data.themes for s in data.statements)
    assert len({s.text for s in data.statements}) == len(data.statements)


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
