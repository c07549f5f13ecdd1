"""Content YAML is read by libyaml's C parser (workbook/content/yaml_text.py): the same data as PyYAML's own parser
from every shipped file, PyYAML's own message on bad text, and the C parser in use wherever PyYAML has it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbook.content import yaml_text
from workbook.content.catalogue import parse_document
from workbook.content.yaml_text import load_yaml
from workbook.errors import ContentError

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(p for folder in ("exercises", "datasets") for p in (ROOT / folder).rglob("*.yaml"))


def test_every_shipped_yaml_file_gives_the_data_pyyamls_own_parser_gives():
    assert len(SHIPPED) > 40  # exercises/, datasets/ and their language folders
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader), path.relative_to(ROOT)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML was built without libyaml")
def test_the_c_parser_reads_the_content():
    assert yaml_text.LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("text,message", [
    ("a: [", "x.yaml: line 1, column 5: expected the node content, but found '<stream end>'"),
    ("a: b: c", "x.yaml: line 1, column 5: mapping values are not allowed here"),
    ("kind: module\ntitle: \ud800", "x.yaml: unacceptable character #xd800: special characters are not allowed"),
])
def test_bad_text_is_named_as_pyyamls_own_parser_names_it(text, message):
    with pytest.raises(ContentError) as exc:
        parse_document(text, "x.yaml")
    assert str(exc.value) == message


def test_a_text_read_again_is_not_parsed_again_and_each_read_is_its_own_copy():
    text = f"items: [a, b]\nnested: {{k: [1, 2]}}\nmarker: {id(object())}-{__name__}\n"
    first = load_yaml(text)
    before = yaml_text._pickled.cache_info()
    first["items"].append("changed by the first reader")
    first["nested"]["k"].clear()
    second = load_yaml(text)
    assert second == yaml.load(text, Loader=yaml.SafeLoader) and second["items"] == ["a", "b"]
    assert yaml_text._pickled.cache_info().hits == before.hits + 1


def test_bad_text_read_again_is_refused_again():
    for _ in range(2):
        with pytest.raises(yaml.YAMLError, match="expected the node content"):
            load_yaml("a: [")
