"""The ``workbook`` command speaks the operator's language (#15): the locale environment (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, as gettext reads them) picks French or Chinese, else English; its output and its one-line
errors go through the catalogue."""
from __future__ import annotations

import pytest
from cli_run import run_cli
from english_check import english_left

from workbook.i18n import environment_language


@pytest.mark.parametrize("environ,language", [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "fr_FR.UTF-8"}, "zh"),  # LC_ALL before LANG
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_MESSAGES": "fr_CA", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, "fr"),  # the first language of the list the workbook has
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_operator_language_comes_from_the_locale_environment(environ, language):
    assert environment_language(environ) == language


@pytest.mark.parametrize("locale,language,created,error", [
    ("fr_FR.UTF-8", "fr", "promotion 'Printemps' créée", "workbook\u00a0: erreur\u00a0: "),
    ("zh_CN.UTF-8", "zh", "已创建学员组 'Printemps'", "workbook：错误："),
])
def test_the_command_answers_in_the_operator_language(tmp_path, monkeypatch, capsys, locale, language, created, error):
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Printemps", locale=locale) == 0
    out = capsys.readouterr().out
    assert out.startswith(created) and not english_left(out, language)
    assert run_cli(monkeypatch, tmp_path, "cohort", "list", locale=locale) == 0
    out = capsys.readouterr().out
    assert "Printemps" in out and not english_left(out, language)
    assert run_cli(monkeypatch, tmp_path, "content", "check", locale=locale) == 0
    out = capsys.readouterr().out
    assert out.count("\n") >= 1 and not english_left(out, language), out
    # an error is still one line, its lead in the operator's language
    assert run_cli(monkeypatch, tmp_path, "import", str(tmp_path / "none.json"), locale=locale) == 1
    err = capsys.readouterr().err
    assert err.startswith(error) and err.count("\n") == 1, err


def test_the_command_is_english_by_default(tmp_path, monkeypatch, capsys):
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Printemps") == 0
    out = capsys.readouterr().out
    assert out.startswith("created cohort 'Printemps'") and english_left(out, "fr")
