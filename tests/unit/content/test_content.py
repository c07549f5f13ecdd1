from pathlib import Path

import pytest

from workbook.content.catalogue import catalogue, load_directory, parse_document
from workbook.errors import ContentError

ROOT = Path(__file__).resolve().parents[3]

GOOD_INSTRUMENT = """
kind: instrument
id: t
title: T
scale: {points: 5, anchors: {1: a, 2: b, 3: c, 4: d, 5: e}}
dimensions: [{id: d1, label: D1}]
items:
  - {id: i1, text: one, dimension: d1}
  - {id: i2, text: two, dimension: d1}
  - {id: i3, text: three, dimension: d1}
  - {id: i4, text: four, dimension: d1, scale: 9}
"""


def test_shipped_content_is_valid_and_cross_referenced(shipped):
    cat = shipped()
    m1 = cat.module("m01")
    assert m1.concepts == ["C1", "C2"]
    assert cat.instrument(m1.instrument).scale.points == 5
    assert {s.source for s in m1.sections} <= set(cat.sources) | {"workbook"}
    assert 6 <= len(cat.instrument("coproduction").items) <= 10


def test_item_scale_error_names_file_place_and_reason(tmp_path):
    f = tmp_path / "m1.yaml"
    f.write_text(GOOD_INSTRUMENT)
    with pytest.raises(ContentError) as exc:
        load_directory(tmp_path)
    msg = str(exc.value)
    assert msg.endswith("m1.yaml: items[3].scale: 9 is not one of 5, 7"), msg
    assert "\n" not in msg


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: instrument\nid: [unclosed\n")
    with pytest.raises(ContentError, match=r"bad\.yaml: line \d+, column \d+"):
        load_directory(tmp_path)


@pytest.mark.parametrize(
    "mutation, expected",
    [
        (("dimension: d1}\n  - {id: i2", "dimension: nope}\n  - {id: i2"), "items[0].dimension: 'nope' is not one of d1"),
        (("points: 5", "points: 6"), "scale.points: 6 is not one of 5, 7"),
        (("title: T\n", ""), "title: is missing"),
        (("kind: instrument", "kind: poem"), "kind"),
    ],
)
def test_instrument_mistakes_are_named(mutation, expected):
    text = GOOD_INSTRUMENT.replace(", scale: 9", "").replace(*mutation)
    with pytest.raises(ContentError) as exc:
        parse_document(text, "x.yaml")
    assert expected in str(exc.value), str(exc.value)


def test_module_referring_to_unknown_instrument_is_refused(tmp_path):
    import shutil

    for f in (ROOT / "exercises").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "m01_servuction.yaml").read_text().replace("instrument: coproduction", "instrument: missing")
    (tmp_path / "m01_servuction.yaml").write_text(text)
    with pytest.raises(ContentError, match="module m01: instrument 'missing' is not defined"):
        load_directory(tmp_path)


def test_catalogue_is_the_configured_directory():
    assert "m01" in catalogue().modules


@pytest.mark.parametrize(
    "rater_items, expected",
    [
        ("{customer: all}", "x.yaml: rater_items.customer: 'customer' is not a rater category (manager, peer, direct_report, client)"),
        ("{client: [i1, i9]}", "x.yaml: rater_items.client: item 'i9' is not an item of instrument t"),
        ("{client: [i1]}", "x.yaml: rater_items.client: dimension d1 has only item i1 for client raters; list none or at least 2 of its items"),
        ("{client: some}", "x.yaml: rater_items.client"),
    ],
)
def test_rater_item_sets_are_validated_with_one_line_naming_file_category_and_item(rater_items, expected):
    text = GOOD_INSTRUMENT.replace(", scale: 9", "") + f"rater_items: {rater_items}\n"
    with pytest.raises(ContentError) as exc:
        parse_document(text, "x.yaml")
    assert str(exc.value).startswith(expected) and "\n" not in str(exc.value), str(exc.value)


def test_rater_item_sets_default_to_every_item_and_clients_of_the_manager_profile_skip_leadership():
    inst = parse_document(GOOD_INSTRUMENT.replace(", scale: 9", "") + "rater_items: {client: [i1, i2]}\n")
    assert [i.id for i in inst.items_for("client")] == ["i1", "i2"]
    assert [i.id for i in inst.items_for("peer")] == ["i1", "i2", "i3", "i4"]  # not listed: every item
    assert [i.id for i in inst.items_for(None)] == ["i1", "i2", "i3", "i4"]  # the person themselves
    mp = catalogue().instrument("manager_profile")
    assert [d.id for d in mp.unrated_dimensions("client")] == ["leadership"]
    assert not any(i.dimension == "leadership" for i in mp.items_for("client"))
    assert all(mp.unrated_dimensions(c) == [] for c in ("manager", "peer", "direct_report"))
