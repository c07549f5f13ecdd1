"""Content in other languages (issue #15): ``exercises/<lang>/`` files have the English structure (same ids
and non-text fields), English is shown only where ``MISSING.yaml`` lists a file, and every mistake is
one line naming the file and the field."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from cli_run import run_cli

from workbook.content.catalogue import load_directory, load_language
from workbook.content.languages import TEXT_DATASETS, compare, languages, placeholders, read_missing
from workbook.content.yaml_text import load_yaml
from workbook.errors import ContentError, NotFound

ROOT = Path(__file__).resolve().parents[3]
EXERCISES = ROOT / "exercises"
OTHER = [lang for lang in languages(EXERCISES) if lang != "en"]


def test_french_is_a_content_language():
    assert "fr" in OTHER


@pytest.fixture(scope="module")
def english(shipped):
    return shipped("en")


@pytest.mark.parametrize("language", OTHER)
def test_every_instrument_keeps_the_english_items_scales_and_keys(english, shipped, language):
    """Answers pool by item id: each language's instrument asks the same items on the same scale,
    with the same dimensions, reverse keys, versions and rater sets (read from the models, not the checker)."""
    cat = shipped(language)
    assert cat.language == language
    assert set(cat.instruments) == set(english.instruments)
    for name, en in english.instruments.items():
        mine = cat.instruments[name]
        assert mine.scale.points == en.scale.points and mine.version == en.version and mine.rater_items == en.rater_items
        assert [d.id for d in mine.dimensions] == [d.id for d in en.dimensions]
        shape = [(i.id, i.dimension, i.reverse, i.added_in, i.retired_in, tuple(i.replaced_by)) for i in en.all_items]
        assert [(i.id, i.dimension, i.reverse, i.added_in, i.retired_in, tuple(i.replaced_by)) for i in mine.all_items] == shape


@pytest.mark.parametrize("language", OTHER)
def test_every_module_keeps_the_english_exercises(english, shipped, language):
    cat = shipped(language)
    assert set(cat.modules) == set(english.modules)
    for mid, en in english.modules.items():
        mine = cat.modules[mid]
        assert (mine.number, mine.notebook, mine.concepts, mine.instrument, mine.next) == (en.number, en.notebook, en.concepts, en.instrument, en.next)
        assert [(e.id, e.type) for e in mine.exercises] == [(e.id, e.type) for e in en.exercises]


def _written(language: str) -> list[Path]:
    return sorted(p for p in (EXERCISES / language).glob("*.yaml") if p.name != "MISSING.yaml")


@pytest.mark.parametrize("language", OTHER)
def test_a_written_file_is_in_that_language_not_a_copy_of_english(language):
    """A written file changes every text of its English file longer than four words (a
    forgotten English string would otherwise pass the structure check)."""
    from workbook.content.copycheck import strings_of, tokens
    from workbook.content.languages import is_text

    for path in _written(language):
        en = dict(strings_of(load_yaml((EXERCISES / path.name).read_text(encoding="utf-8"))))
        same = [
            where for where, text in strings_of(load_yaml(path.read_text(encoding="utf-8")))
            if en.get(where) == text and sum(not t.isdigit() for t in tokens(text)) > 4  # "B — Back & front office", "§2.2.1" stay
            and is_text(tuple(p for p in where.replace("]", "").replace("[", ".").split(".") if not p.isdigit()))
        ]
        assert not same, f"{language}/{path.name}: still English at {same[:5]}"


@pytest.mark.parametrize("language", OTHER)
def test_the_missing_list_names_only_english_files_not_written(language):
    missing = read_missing(EXERCISES / language, f"exercises/{language}")
    english_files = {p.name for p in EXERCISES.glob("*.yaml")}
    written = {p.name for p in _written(language)}
    assert set(missing) <= english_files and not set(missing) & written
    assert set(missing) | written == english_files


def test_fallback_only_where_listed(english, shipped):
    fr = shipped("fr")
    missing = read_missing(EXERCISES / "fr", "exercises/fr")
    for mid, module in fr.modules.items():
        en_title = english.modules[mid].title
        name = next(p.name for p in EXERCISES.glob("*.yaml") if load_yaml(p.read_text(encoding="utf-8")).get("id") == mid)
        assert (module.title == en_title) == (name in missing), f"module {mid}: {module.title!r}"


def test_unknown_language_is_refused_in_one_line():
    with pytest.raises(NotFound) as exc:
        load_language(EXERCISES, "de")
    assert str(exc.value) == f"no content in language 'de'; available: {', '.join(languages(EXERCISES))}"


# ---- mistakes in a language file: one line naming the file and the field -----------------------

@pytest.fixture
def content(tmp_path):
    shutil.copytree(EXERCISES, tmp_path / "exercises")
    return tmp_path / "exercises"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(content: Path) -> str:
    with pytest.raises(ContentError) as exc:
        load_language(content, "fr")
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("file, old, new, expect", [
    ("m01_servuction.yaml", "      - id: other_clients\n        label: Les autres clients\n", "",
     "exercises/fr/m01_servuction.yaml: exercises[0].elements: 5 elements, English has 6"),
    ("coproduction.yaml", "    text: \"Que le client agisse ou non, nous rendrions exactement le même service.\"\n    reverse: true\n",
     "    text: \"Que le client agisse ou non, nous rendrions exactement le même service.\"\n",
     "exercises/fr/coproduction.yaml: items[2].reverse: missing, English has it"),
    ("coproduction.yaml", "id: cp6", "id: cp6x", "exercises/fr/coproduction.yaml: items[5].id: 'cp6x', English has 'cp6'"),
    ("coproduction.yaml", "  points: 5", "  points: 7", "exercises/fr/coproduction.yaml: scale.points: 7, English has 5"),
    ("coproduction.yaml", "concepts: [C1, C2]", "concepts: [C1]", "exercises/fr/coproduction.yaml: concepts: 1 concepts, English has 2"),
    ("m01_servuction.yaml", "type: text", "type: choice", "exercises/fr/m01_servuction.yaml: exercises[1].type: 'choice', English has 'text'"),
    ("m01_servuction.yaml", "      summary_heading: Votre système de servuction\n", "",
     "exercises/fr/m01_servuction.yaml: exercises[0].texts.summary_heading: missing, English has it"),
    ("m01_servuction.yaml", "        label: Le client\n", "        label: \"\"\n",
     "exercises/fr/m01_servuction.yaml: exercises[0].elements[0].label: empty text, English has text"),
    ("m01_servuction.yaml", "Reste à décrire\u00a0: {elements}.", "Reste à décrire\u00a0: {éléments}.",
     "exercises/fr/m01_servuction.yaml: exercises[0].texts.missing: placeholders differ from English (lacks {elements})"),
    ("m01_servuction.yaml", "Reste à décrire\u00a0: {elements}.", "Reste à décrire\u00a0: {elements} sur {total}.",
     "exercises/fr/m01_servuction.yaml: exercises[0].texts.missing: placeholders differ from English (has {total}, English has not)"),
    ("m01_servuction.yaml", "next: m02", "next: m03", "exercises/fr/m01_servuction.yaml: next: 'm03', English has 'm02'"),
    ("m01_servuction.yaml", "id: m01\n", "id: m01\ncolour: blue\n", "exercises/fr/m01_servuction.yaml: colour: not in the English file"),
])
def test_a_structure_difference_is_one_line_naming_file_and_field(content, file, old, new, expect):
    _edit(content / "fr" / file, old, new)
    assert _error(content) == expect


def test_a_module_may_teach_with_other_sections_but_not_none(content):
    """Teaching is written afresh per language: any number of sections, never none."""
    path = content / "fr" / "m01_servuction.yaml"
    doc = load_yaml(path.read_text(encoding="utf-8"))
    doc["sections"] = doc["sections"][1:3]  # the two the French workshop path reads
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert len(load_language(content, "fr").module("m01").sections) == 2
    doc["sections"] = []
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    english_sections = len(load_yaml((content / "m01_servuction.yaml").read_text(encoding="utf-8"))["sections"])
    assert _error(content) == f"exercises/fr/m01_servuction.yaml: sections: empty, English has {english_sections}"


def test_a_file_neither_written_nor_listed_is_an_error(content):
    (content / "fr" / "m01_servuction.yaml").unlink()
    assert _error(content) == ("exercises/fr/m01_servuction.yaml: missing; write it or list it in exercises/fr/MISSING.yaml "
                               "(English is then shown)")


def test_a_listed_file_falls_back_to_english(content, english):
    (content / "fr" / "m01_servuction.yaml").unlink()
    _edit(content / "fr" / "MISSING.yaml", "missing:\n", "missing:\n  - m01_servuction.yaml\n")
    # the French paths name the French module's headings: a module back in English needs them in English too
    assert "paths.yaml: paths[0] (workshop).modules[0].steps[2].read: module m01 has no section headed" in _error(content)
    (content / "fr" / "paths.yaml").unlink()
    _edit(content / "fr" / "MISSING.yaml", "missing:\n", "missing:\n  - paths.yaml\n")
    cat = load_language(content, "fr")
    assert cat.module("m01").title == english.module("m01").title
    assert cat.instrument("coproduction").title != english.instrument("coproduction").title


def test_a_listed_file_that_is_written_is_an_error(content):
    _edit(content / "fr" / "MISSING.yaml", "missing:\n", "missing:\n  - m01_servuction.yaml\n")
    assert _error(content) == "exercises/fr/MISSING.yaml: m01_servuction.yaml is written now: remove it from the list"


def test_a_language_file_without_an_english_file_is_an_error(content):
    shutil.copy(content / "fr" / "m01_servuction.yaml", content / "fr" / "m10_extra.yaml")
    assert _error(content) == "exercises/fr/m10_extra.yaml: no English file of that name in exercises/"


def test_a_language_file_still_meets_its_own_model(content):
    """The structure check compares with English; the models still validate the language file itself."""
    _edit(content / "fr" / "m01_servuction.yaml", "    source: eiglier-langeard\n", "    source: nobody\n")
    assert _error(content) == "exercises/fr: module m01: sections[1].source: 'nobody' is not in sources.yaml"


def test_compare_and_placeholders_are_pure():
    assert placeholders("{n} of {total}, not {provider + client}") == {"n", "total"}
    assert compare({"title": "A", "items": [{"id": "x", "text": "t"}]}, {"title": "B", "items": [{"id": "x", "text": "u"}]}) is None
    assert compare({"labels": {"a": "{n} left"}}, {"labels": {"a": "plus que"}}) == "labels.a: placeholders differ from English (lacks {n})"
    # a pick_one's feedback is text per option value: the text differs, the option values may not
    assert compare({"feedback": {"layer": "A cost."}}, {"feedback": {"layer": "一项成本。"}}) is None
    assert compare({"feedback": {"layer": "A cost."}}, {"feedback": {"couche": "一项成本。"}}) == "feedback.layer: missing, English has it"
    assert compare({"sources": [{"title": "Servuction"}]}, {"sources": [{"title": "La servuction"}]}) == "sources[0].title: 'La servuction', English has 'Servuction'"
    assert compare({"scale": {"points": 5}}, {"scale": {"points": "5"}}) == "scale.points: '5', English has 5"


def test_content_check_names_each_missing_translation_in_one_line(tmp_path, monkeypatch, capsys):
    assert run_cli(monkeypatch, tmp_path, "content", "check") == 0
    out = capsys.readouterr().out.splitlines()
    assert "languages: en, " in out[0] and "fr" in out[0]
    for language in OTHER:
        listed = read_missing(EXERCISES / language, f"exercises/{language}")
        lines = [line for line in out[1:] if line.startswith(f"exercises/{language}/")]
        assert lines == [f"exercises/{language}/{name}: not yet written in {language}; English is shown" for name in listed]
        data = [line for line in out[1:] if line.startswith(f"datasets/{language}/")]
        unwritten = sorted(n for n in TEXT_DATASETS if not (ROOT / "datasets" / language / n).is_file())
        assert sorted(line.split("/")[2].split(":")[0] for line in data) == unwritten


def test_content_check_refuses_a_bad_language_file(tmp_path, monkeypatch, capsys, content):
    _edit(content / "fr" / "coproduction.yaml", "  points: 5", "  points: 7")
    assert run_cli(monkeypatch, tmp_path, "content", "check", "--dir", str(content)) == 1
    err = capsys.readouterr().err
    assert err == "workbook: error: exercises/fr/coproduction.yaml: scale.points: 7, English has 5\n"


def test_glossary_entries_carry_ids_used_once(content):
    _edit(content / "glossary.yaml", "  - id: co_production\n", "  - id: servuction\n")
    with pytest.raises(ContentError, match=r"glossary\.yaml: entries\[1\]\.id: 'servuction' is used twice"):
        load_directory(content)


# ---- text data in datasets/<lang>/: same ids and figures as the English file ---------------------

@pytest.fixture
def datasets(tmp_path):
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    return tmp_path / "datasets"


def _french_statements(datasets: Path) -> Path:
    """A French statements file made from the English one: every text changed, ids and keys kept."""
    doc = load_yaml((datasets / "client_statements.yaml").read_text(encoding="utf-8"))
    doc["source"] = "Écrit pour le cahier"
    doc["themes"] = {k: f"thème {k}" for k in doc["themes"]}
    for s in doc["statements"]:
        s["text"], s["explanation"] = f"phrase {s['id']}", f"explication {s['id']}"
    path = datasets / "fr" / "client_statements.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    missing = datasets / "fr" / "MISSING.yaml"
    missing.write_text(missing.read_text(encoding="utf-8").replace("  - client_statements.yaml\n", ""), encoding="utf-8")
    return path


def test_a_written_data_file_gives_its_text_and_the_english_figures(datasets):
    from workbook.content.statements import load_statements

    _french_statements(datasets)
    en = load_statements(datasets / "client_statements.yaml")
    fr = load_statements(datasets / "client_statements.yaml", "fr")
    assert [(s.id, s.key, s.theme) for s in fr.statements] == [(s.id, s.key, s.theme) for s in en.statements]
    assert fr.statements[0].text == f"phrase {en.statements[0].id}" != en.statements[0].text


def test_a_data_file_with_another_key_is_refused_in_one_line(datasets):
    from workbook.content.statements import load_statements

    path = _french_statements(datasets)
    en_key = load_yaml((datasets / "client_statements.yaml").read_text(encoding="utf-8"))["statements"][0]["key"]
    other = "process" if en_key == "outcome" else "outcome"
    doc = load_yaml(path.read_text(encoding="utf-8"))
    doc["statements"][0]["key"] = other
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_statements(datasets / "client_statements.yaml", "fr")
    assert str(exc.value) == f"datasets/fr/client_statements.yaml: statements[0].key: {other!r}, English has {en_key!r}"


def test_a_data_file_neither_written_nor_listed_is_an_error_and_a_listed_one_falls_back(datasets):
    from workbook.content.case import load_case

    english = load_case(datasets / "case_nordfrost.yaml")
    assert load_case(datasets / "case_nordfrost.yaml", "fr").m01.service != english.m01.service  # written in French
    (datasets / "fr" / "case_nordfrost.yaml").unlink()
    with pytest.raises(ContentError, match=r"^datasets/fr/case_nordfrost\.yaml: missing; write it or list it in datasets/fr/MISSING\.yaml"):
        load_case(datasets / "case_nordfrost.yaml", "fr")
    (datasets / "fr" / "MISSING.yaml").write_text("missing: [case_nordfrost.yaml]\n", encoding="utf-8")
    assert load_case(datasets / "case_nordfrost.yaml", "fr").m01.service == english.m01.service


def test_a_case_file_keeps_its_figures(datasets):
    """The case's texts are written per language; its answers, durations and levels stay the English ones."""
    from workbook.content.languages import check_datasets

    doc = load_yaml((datasets / "case_nordfrost.yaml").read_text(encoding="utf-8"))
    doc["m02"]["phases"]["delivery"]["duration"] += 1
    (datasets / "fr" / "case_nordfrost.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"^datasets/fr/case_nordfrost\.yaml: m02\.phases\.delivery\.duration: \d+, English has \d+$"):
        check_datasets(datasets, "fr")


# ---- text data in CSV (journey example, the Salesforce figures' labels), read per language ----

DATASETS_DIR = ROOT / "datasets"


@pytest.mark.parametrize("path", sorted(DATASETS_DIR.glob("*/*.csv")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_csv_in_a_language_keeps_the_english_rows_ids_and_figures(path):
    import csv

    from workbook.content.languages import CSV_TEXT_COLUMNS

    english = list(csv.DictReader((DATASETS_DIR / path.name).open(encoding="utf-8")))
    mine = list(csv.DictReader(path.open(encoding="utf-8")))
    text = CSV_TEXT_COLUMNS[path.name]
    assert len(mine) == len(english) and list(mine[0]) == list(english[0])
    for n, (a, b) in enumerate(zip(english, mine, strict=True)):
        for column in a:
            if column in text:
                assert bool(a[column]) == bool(b[column]), f"{path.parent.name}/{path.name}: row {n + 1}, column {column}: empty in one language only"
                if column.endswith("_actors"):  # the side markers are parsed: front: / back:
                    def sides(cell: str) -> list[str]:
                        return [p.split(": ")[0] if ": " in p else "" for p in cell.split("; ")]
                    assert sides(a[column]) == sides(b[column]), f"{path.parent.name}/{path.name}: row {n + 1}, column {column}: front/back markers differ"
            else:
                assert a[column] == b[column], f"{path.parent.name}/{path.name}: row {n + 1}, column {column}: {b[column]!r}, English has {a[column]!r}"


@pytest.mark.parametrize("language", OTHER)
def test_module_5_and_the_journey_editor_show_the_csv_data_of_their_language(language, db, cohort):
    """The Salesforce chart of Module 5 and the editor's "start from the worked example" read
    datasets/<lang>/ (expected words taken from that file, not from the code under test)."""
    import csv
    import html

    from workbook.i18n import using
    from workbook.ui.pages.figures import figure_html
    from workbook.ui.widgets.common import StatusLine
    from workbook.ui.widgets.journey_editor import JourneyEditor, MapBackend

    statements = [r["statement"] for r in csv.DictReader((DATASETS_DIR / language / "salesforce_2019.csv").open(encoding="utf-8"))]
    english = [r["statement"] for r in csv.DictReader((DATASETS_DIR / "salesforce_2019.csv").open(encoding="utf-8"))]
    with using(language):
        chart = html.unescape(figure_html("salesforce_2019"))
    assert all(s in chart for s in statements) and not any(s in chart for s in english)

    rows = list(csv.DictReader((DATASETS_DIR / language / "journey_example.csv").open(encoding="utf-8")))
    editor = JourneyEditor(MapBackend(db, cohort["ident"]["Ann"]), status=StatusLine())
    with using(language):
        editor.start_from_example()
    touchpoints = [t for s in editor.current.stages for t in s.touchpoints]
    assert [s.name for s in editor.current.stages] == list(dict.fromkeys(r["stage"] for r in rows))
    assert [(t.name, t.pain_point, t.emotion) for t in touchpoints] == [(r["touchpoint"], r["pain_point"], int(r["emotion"])) for r in rows]


@pytest.mark.parametrize("name", ["journey_example.csv", "salesforce_2019.csv"])
def test_a_csv_neither_written_nor_listed_is_one_line_naming_it_and_a_listed_one_falls_back(datasets, monkeypatch, name):
    from workbook.content.datafile import dataset_path
    from workbook.settings import reset_settings

    monkeypatch.setenv("WORKBOOK_DATASETS_DIR", str(datasets))
    reset_settings()
    try:
        assert dataset_path(name, "fr") == datasets / "fr" / name
        (datasets / "fr" / name).unlink()
        with pytest.raises(ContentError) as exc:
            dataset_path(name, "fr")
        assert str(exc.value) == f"datasets/fr/{name}: missing; write it or list it in datasets/fr/MISSING.yaml (English is then shown)"
        assert "\n" not in str(exc.value)
        (datasets / "fr" / "MISSING.yaml").write_text(f"missing: [{name}]\n", encoding="utf-8")
        assert dataset_path(name, "fr") == datasets / name
    finally:
        reset_settings()


def test_a_csv_with_another_id_or_figure_is_refused_in_one_line(datasets):
    from workbook.content.languages import localized_dataset

    path = datasets / "zh" / "journey_example.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",s_needs,", ",s_besoins,", 1), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        localized_dataset(datasets / "journey_example.csv", "zh")
    assert str(exc.value) == "datasets/zh/journey_example.csv: row 3, column stage_id: 's_besoins', English has 's_needs'"
    path = datasets / "fr" / "salesforce_2019.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",B2B,89", ",B2B,98"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"^datasets/fr/salesforce_2019\.csv: row 1, column percent: '98', English has '89'$"):
        localized_dataset(datasets / "salesforce_2019.csv", "fr")


# ---- the language being rendered, and the notebooks' own words ----------------------------------

def test_catalogue_follows_the_language_being_rendered(shipped):
    """Pages, reports and e-mails render inside ``i18n.using(language)``: catalogue() then gives that language."""
    from workbook.content.catalogue import catalogue
    from workbook.i18n import using

    en = shipped("en").module("m01").title
    fr = shipped("fr").module("m01").title
    assert en != fr
    assert catalogue().module("m01").title == en
    with using("fr"):
        assert catalogue().module("m01").title == fr
    assert catalogue().module("m01").title == en


def _notebook_cells():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        yield path, nbformat.read(path, as_version=4).cells


def test_notebooks_hold_no_language_specific_text():
    """Every word a notebook shows besides its calls lives in exercises/page_texts.yaml (and its languages)."""
    found = [f"{path.name}: cell {n}" for path, cells in _notebook_cells() for n, c in enumerate(cells) if c.cell_type == "markdown"]
    assert not found, f"markdown cells (move their words into exercises/page_texts.yaml): {found}"


@pytest.mark.parametrize("language", languages(EXERCISES))
def test_every_page_text_a_notebook_shows_exists_and_every_block_is_shown(shipped, language):
    import re

    cat = shipped(language)
    called = {m.groups() for _path, cells in _notebook_cells() for c in cells
              for m in re.finditer(r'page_text\("([^"]+)", "([^"]+)"\)', c.source)}
    assert called, "no notebook calls page_text"
    for notebook, block in called:
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").is_file(), notebook
        assert cat.page_text(notebook, block).text
    assert {(n, b) for n, blocks in cat.page_texts.items() for b in blocks} == called

