"""Modules 6–8 through their pages: every exercise saves as the person works and is back on reload;
the "your results" block is computed from the person's own saved answers."""
from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest
import yaml
from markupsafe import escape as html_escape  # the escaping the workbook uses (workbook.render.html.esc)
from widget_tools import find, one

from workbook.content.yaml_text import load_yaml
from workbook.ui.pages.module import module_page


def build(db, identity, module_id):
    page = module_page(module_id, db)
    page._signed_in(identity)
    assert page.status.value == "", page.status.value
    return page


def results(page) -> str:
    return one(page, "wb-results", w.HTML).value


def likert(page, module_id):
    """The instrument's radio groups in item order."""
    from workbook.content.catalogue import catalogue

    inst = catalogue().instrument(catalogue().module(module_id).instrument)
    radios = [x for x in find(page, "wb-likert", w.RadioButtons) if not any(c.startswith("wb-item-") for c in x._dom_classes)]
    assert len(radios) == len(inst.items)
    return dict(zip([i.id for i in inst.items], radios))


def test_m06_triangle_checklists_and_reflection_save_and_reload(cohort, db):
    ann = cohort["ident"]["Ann"]
    page = build(db, ann, "m06")
    radios = likert(page, "m06")
    # mastery strongly, the others weakly (reverse-keyed items answered the other way)
    for item, value in {"tl1": 5, "tl2a": 5, "tl2b": 5, "tl3": 5, "tl4": 1, "tl5": 2, "tl6a": 2, "tl6b": 2, "tl7": 4, "tl8b": 2,
                        "tl9": 1, "tl10a": 2, "tl10b": 2, "tl11b": 2, "tl12": 5}.items():
        radios[item].value = value
    mastery = one(page, "wb-ex-possible_mastery")
    for item in ("price_top", "offer", "servuction", "standard"):
        one(mastery, f"wb-item-{item}", w.RadioButtons).value = 2
    one(mastery, "wb-item-image", w.RadioButtons).value = 0
    one(one(page, "wb-ex-possible_relationship"), "wb-item-price", w.RadioButtons).value = 1
    area = [x for x in page.body.children if isinstance(x, w.Textarea)][0]  # the reflection (plain text type)
    area.value = "The client hardly sees our <engineers>."

    html = results(page)
    # mastery mean 5 -> 100; relationship (2+2+2+2)/4=2 -> 25; involvement (1+2+2+1)/4=1.5 -> 12.5
    assert "Your offer favours the Mastery link; the Client is the entity it tends to leave aside." in html
    assert "<svg" in html and "Mastery: 100" in html and "Relationship: 25" in html
    # mastery mix: 2+2+2+2+0 over 5 rated levers of max 2 = 80%; relationship: 1/2 = 50%
    assert "<td>Mastery</td><td>80%</td>" in html and "<td>Relationship</td><td>50%</td>" in html
    assert "The mix your offer fits best is the Mastery mix" in html
    assert "Mastery approach: the POSSIBLE mix: your offer fits 80% of it (5 of 11 statements scored)." in html
    assert "<li>I — Image</li>" in html

    again = build(db, ann, "m06")
    radios = likert(again, "m06")
    assert radios["tl1"].value == 5 and radios["tl12"].value == 5
    assert one(one(again, "wb-ex-possible_mastery"), "wb-item-image", w.RadioButtons).value == 0
    assert one(one(again, "wb-ex-possible_relationship"), "wb-item-price", w.RadioButtons).value == 1
    assert [x for x in again.body.children if isinstance(x, w.Textarea)][0].value == "The client hardly sees our <engineers>."
    assert results(again) == html
    # Ben's page shows nothing of Ann's
    ben = build(db, cohort["ident"]["Ben"], "m06")
    assert likert(ben, "m06")["tl1"].value is None
    assert "Answer at least two thirds" in results(ben)


def test_m06_misaligned_mix_is_named(cohort, db):
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.module import module_results_html

    m = catalogue().module("m06")
    relationship_high = {"tl1": 2, "tl2": 2, "tl3": 2, "tl4": 4, "tl5": 5, "tl6": 5, "tl7": 1, "tl8": 5, "tl9": 2, "tl10": 2, "tl11": 2, "tl12": 4}
    html = module_results_html(m, {"triangle_links": relationship_high, "possible_mastery": {"price_top": 2}, "possible_relationship": {"price": 0}})
    assert "Your offer favours the Relationship link; the Service is the entity it tends to leave aside." in html
    assert "but its marketing mix fits the Mastery approach best" in html


def test_m07_culture_outcome_and_internal_customers_save_and_reload(cohort, db):
    ann = cohort["ident"]["Ann"]
    page = build(db, ann, "m07")
    radios = likert(page, "m07")
    for item in radios:
        radios[item].value = 3
    radios["sc1"].value = 5
    pick = find(one(page, "wb-ex-layer_or_reinvention"), "wb-pick", w.RadioButtons)[0]
    pick.value = "layer"
    one(page, "wb-field-outcome", w.Textarea).value = "Cold rooms that never stop"
    one(page, "wb-field-unit", w.Textarea).value = "per hour of guaranteed cold"
    ic = one(page, "wb-ex-internal_customers")
    find(ic, "wb-cell-team", w.Text)[0].value = "Sales"
    find(ic, "wb-cell-satisfaction", w.Dropdown)[0].value = 2
    find(ic, "wb-cell-team", w.Text)[1].value = "Finance"
    find(ic, "wb-cell-satisfaction", w.Dropdown)[1].value = 5

    html = results(page)
    assert "Your services today: A layer on top." in html
    assert "<dt>The outcome the client actually buys: what changes for them</dt><dd>Cold rooms that never stop</dd>" in html
    assert "Average satisfaction you expect from your internal customers: 3.5 out of 5 (2 rated)." in html
    assert "Overall service-culture score" in html

    again = build(db, ann, "m07")
    assert likert(again, "m07")["sc1"].value == 5
    assert find(one(again, "wb-ex-layer_or_reinvention"), "wb-pick", w.RadioButtons)[0].value == "layer"
    assert one(again, "wb-field-unit", w.Textarea).value == "per hour of guaranteed cold"
    ic = one(again, "wb-ex-internal_customers")
    assert [t.value for t in find(ic, "wb-cell-team", w.Text)][:2] == ["Sales", "Finance"]
    assert [d.value for d in find(ic, "wb-cell-satisfaction", w.Dropdown)][:2] == [2, 5]


def test_m08_sort_boundaries_ladder_and_win_win_save_and_reload(cohort, db):
    ann = cohort["ident"]["Ann"]
    page = build(db, ann, "m08")
    sort = one(page, "wb-ex-layer_sort")
    for n, (action, layer) in enumerate([("gift", "emotional"), ("dinner", "emotional"), ("energy report", "value")]):
        find(sort, "wb-cell-action", w.Text)[n].value = action
        find(sort, "wb-cell-layer", w.Dropdown)[n].value = layer
    bounds = one(page, "wb-ex-boundaries")
    find(bounds, "wb-cell-refuse", w.Text)[0].value = "clean the client's house"
    find(bounds, "wb-cell-why", w.Text)[0].value = "wastes the advice they pay for"
    find(one(page, "wb-ex-ladder"), "wb-pick", w.RadioButtons)[0].value = "price_only"
    one(one(page, "wb-ex-win_win"), "wb-field-prevent", w.Textarea).value = "check chillers before summer"

    html = results(page)
    assert "Your offer on the competitive ladder: Price is all we have." in html
    assert "clean the client&#39;s house" in html
    assert "Your service actions by layer" in html and "<svg" in html
    assert "check chillers before summer" in html

    again = build(db, ann, "m08")
    sort = one(again, "wb-ex-layer_sort")
    assert [t.value for t in find(sort, "wb-cell-action", w.Text)][:3] == ["gift", "dinner", "energy report"]
    assert [d.value for d in find(sort, "wb-cell-layer", w.Dropdown)][:3] == ["emotional", "emotional", "value"]
    assert find(one(again, "wb-ex-boundaries"), "wb-cell-why", w.Text)[0].value == "wastes the advice they pay for"
    assert find(one(again, "wb-ex-ladder"), "wb-pick", w.RadioButtons)[0].value == "price_only"
    assert one(one(again, "wb-ex-win_win"), "wb-field-prevent", w.Textarea).value == "check chillers before summer"


@pytest.mark.parametrize("module_id, nxt", [("m06", "07_culture.ipynb"), ("m07", "08_essence.ipynb")])
def test_pages_link_to_the_next_module(cohort, db, module_id, nxt):
    page = build(db, cohort["ident"]["Ann"], module_id)
    links = [x.value for x in page.body.children if isinstance(x, w.HTML) and "wb-next" in x.value]
    assert links and f'href="./{nxt}' in links[-1]


def test_reference_pages_list_every_term_and_every_seed():
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.reference import glossary_html, sources_html

    g = glossary_html()
    assert all(f"<b>{e.term}</b>" in g.replace("&#39;", "'").replace("&#x27;", "'") for e in catalogue().glossary)
    assert '<a href="./06_triangle.ipynb">6</a>' in g  # a term of C12 links to Module 6
    s = sources_html()
    for src in catalogue().sources.values():
        if src.seed_file:
            assert src.seed_file in s
    assert "2021-05-20" in s and 'Cited in: <a href="./08_essence.ipynb">Module 8</a>' in s


def test_glossary_covers_every_concept():
    from workbook.content.catalogue import catalogue

    covered = {c for e in catalogue().glossary for c in e.concepts}
    assert covered == {f"C{n}" for n in range(1, 24)}


def test_home_links_to_glossary_and_sources(db):
    from workbook.ui.pages.home import home_page

    page = home_page(db)
    html = "".join(x.value for x in page.children if isinstance(x, w.HTML))
    assert 'href="./glossary.ipynb"' in html and 'href="./sources.ipynb"' in html


# ---- the Nordfrost case, the worked example of modules 6–8 -------------------------------------

CASE_PATH = Path(__file__).resolve().parents[3] / "datasets" / "case_nordfrost_m06_m08.yaml"


def raw_case() -> dict:
    return load_yaml(CASE_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("module_id", ["m06", "m07", "m08"])
def test_each_module_has_a_nordfrost_case_section_marked_as_the_workbooks_own(module_id):
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.module import teaching_html

    m = catalogue().module(module_id)
    case_sections = [s for s in m.sections if s.heading.startswith("The Nordfrost case")]
    assert case_sections, f"{module_id} has no 'The Nordfrost case: …' section"
    assert all(s.source == "workbook" for s in case_sections)
    html = teaching_html(m)
    for s in case_sections:  # rendered with the workbook's own mark, not a source's citation
        block = html.split(f">{s.heading}</h2>".replace("'", "&#39;"))[1].split("<h2")[0]
        assert '<div class="wb-own">' in block and "The workbook's own derivation" in block


def test_m08_case_figure_lists_every_action_under_its_layer_in_the_case_section():
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.module import teaching_html

    m = catalogue().module("m08")
    html = teaching_html(m)
    section = next(s for s in m.sections if s.figure == "case_layers")
    assert section.source == "workbook"
    block = html.split(f">{section.heading}</h2>".replace("'", "&#39;"))[1].split("<h2")[0]
    labels = {"emotional": "Emotional layer", "needs": "Needs layer", "value": "Value layer"}
    for a in raw_case()["m08"]["actions"]:
        row = f"<tr><td>{labels[a['layer']]}</td><td>{html_escape(a['action'])}</td>"
        assert row in block, row
    assert "<svg" in block and "datasets/case_nordfrost_m06_m08.yaml" in block


def test_m08_case_text_counts_the_case_data():
    from workbook.ui.pages.examples_service import case_essence_text

    actions = raw_case()["m08"]["actions"]
    text = case_essence_text()
    assert text.splitlines()[0].endswith(f": {len(actions)}")
    for layer, label in (("emotional", "Emotional layer"), ("needs", "Needs layer"), ("value", "Value layer")):
        n = sum(1 for a in actions if a["layer"] == layer)
        assert f"{label:<16} {n:2d}  ({n / len(actions) * 100:4.1f}%)" in text


def test_bad_case_data_is_refused_in_one_line_naming_the_file_and_the_field(tmp_path, monkeypatch):
    from workbook.errors import ContentError
    from workbook.settings import reset_settings
    from workbook.ui.pages.examples_service import case_essence_text

    bad = raw_case()
    bad["m08"]["actions"][2]["layer"] = "loyalty"
    (tmp_path / CASE_PATH.name).write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_DATASETS_DIR", str(tmp_path))
    reset_settings()
    try:
        with pytest.raises(ContentError) as err:
            case_essence_text()
        msg = str(err.value)
        assert "\n" not in msg and "case_nordfrost_m06_m08.yaml" in msg and "m08.actions[2].layer: 'loyalty' is not one of" in msg
    finally:
        monkeypatch.undo()
        reset_settings()


def test_m06_case_triangle_is_drawn_from_the_case_answers():
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.module import teaching_html

    inst = load_yaml((CASE_PATH.parent.parent / "exercises" / "triangle_links.yaml").read_text(encoding="utf-8"))
    reverse = {i["id"] for i in inst["items"] if i.get("reverse")}
    dims = {i["id"]: i["dimension"] for i in inst["items"]}
    per_link: dict[str, list[int]] = {}
    for a in raw_case()["m06"]["triangle_links"]:
        per_link.setdefault(dims[a["item"]], []).append(6 - a["answer"] if a["item"] in reverse else a["answer"])
    expected = {link: (sum(v) / len(v) - 1) / 4 * 100 for link, v in per_link.items()}
    m = catalogue().module("m06")
    section = next(s for s in m.sections if s.figure == "case_triangle")
    block = teaching_html(m).split(f">{section.heading}</h2>".replace("'", "&#39;"))[1].split("<h2")[0]
    for link, value in expected.items():
        assert f"{m.results.labels[link]}: {value:.0f}" in block
    for a in raw_case()["m06"]["triangle_links"]:
        assert html_escape(a["because"]) in block


def test_m06_case_mix_fits_follow_the_case_scores():
    from workbook.ui.pages.examples_service import case_triangle_text

    text = case_triangle_text()
    mixes = raw_case()["m06"]["mixes"]
    for link, ex in (("Mastery", "possible_mastery"), ("Relationship", "possible_relationship"), ("Involvement", "possible_involvement")):
        ratings = [r["rating"] for r in mixes[ex]]
        gaps = [r["item"] for r in mixes[ex] if r["rating"] == 0]
        assert f"fit with the {link} mix: {sum(ratings) / (2 * len(ratings)) * 100:5.1f}% ({len(ratings)} of" in text
        assert f"does not fit: {', '.join(gaps)}" in text


def test_a_retired_checklist_item_id_cannot_come_back():
    from workbook.content.catalogue import Exercise

    items = [{"id": "price_top", "label": "P", "text": "new"}, {"id": "price", "label": "P", "text": "reused"}]
    with pytest.raises(ValueError, match="price is retired"):
        Exercise(id="mix", type="rated_checklist", title="t", items=items, retired=["price"],
                 options=[{"value": 0, "label": "no"}, {"value": 2, "label": "yes"}])


def test_m07_case_contracts_and_internal_customers_follow_the_case_data():
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.module import teaching_html

    c = raw_case()["m07"]
    m = catalogue().module("m07")
    html = teaching_html(m)
    block = html.split(">The Nordfrost case: two contracts, one plant</h2>")[1].split("<h2")[0]
    for contract in c["contracts"]:
        per = sum(line["amount"] for line in contract["per_breakdown"])
        for n in c["breakdowns"]:
            assert f"<td>{contract['yearly_fee'] + n * per:,} €</td>" in block
        assert f"<td>{per - c['cost_per_breakdown']:+,} €</td></tr>" in block
    block = html.split(">The Nordfrost case: Sam&#39;s internal customers</h2>")[1].split("<h2")[0]
    ratings = [r["satisfaction"] for r in c["internal_customers"]]
    assert f"{sum(ratings) / len(ratings):.1f} out of 5 ({len(ratings)} rated)" in block
    for r in c["internal_customers"]:
        assert f"<td>{html_escape(r['team'])}</td>" in block
