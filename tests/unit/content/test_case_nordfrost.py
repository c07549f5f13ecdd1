"""The Nordfrost case (issue #12): one B2B relationship seen through modules 1-5 and 9, computed from
datasets/case_nordfrost.yaml by the modules' own analysis functions. Expected figures are worked out
by hand here from the case data."""
from pathlib import Path

import nbformat
import pytest
import yaml

from workbook.content.case import load_case, read_case
from workbook.content.catalogue import catalogue
from workbook.content.yaml_text import load_yaml
from workbook.errors import ContentError
from workbook.nbtools import is_checked
from workbook.settings import get_settings
from workbook.ui.pages import examples, examples_profiles

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def case():
    return load_case()


def test_case_matches_the_modules_it_is_read_through(case):
    cat = catalogue()
    m01 = next(e for e in cat.module("m01").exercises if e.id == "servuction_map").model_extra
    assert set(case.m01.elements) == {e["id"] for e in m01["elements"]}  # every element described
    assert set(case.m01.coproduction) == {i.id for i in cat.instrument("coproduction").items}
    mp = cat.instrument("manager_profile")
    assert set(case.m03.self_answers) == {i.id for i in mp.items}
    assert all(set(r.answers) == mp.rater_item_ids(r.category) for r in case.m03.raters)  # each group rates its own items
    m02 = next(e for e in cat.module("m02").exercises if e.id == "timeline").model_extra
    assert list(case.m02.phases) == [p["id"] for p in m02["phases"]]
    assert {p.where for p in case.m02.phases.values()} <= {p["id"] for p in m02["places"]}


def test_module1_servuction_system_and_coproduction_scores(case):
    text = examples.case_servuction_text()
    for label, description in zip(("The client", "Contact staff", "The service"), (case.m01.elements["client"], case.m01.elements["contact_staff"], case.m01.elements["service"])):
        assert f"  {label}: {description}" in text
    # participation: 5, 4, reversed 1 -> 5, 4 = mean 4.5 = 87.5/100; presence: 5, 3, reversed 1 -> 5, 5 = 4.5
    assert "Client participation    87.5 / 100" in text and "Client presence         87.5 / 100" in text


def test_module2_timeline_time_and_space(case):
    text = examples.case_timeline_text()
    # 3 + 7 + 1 months before the 12 of delivery, 42 + 6 after: 59 of 71 months outside delivery = 83%
    assert "71 months from first contact to renewal" in text
    assert "before delivery 11 months, delivery 12, after 48: 83% of the relationship lies outside delivery" in text
    assert "phases at the client's site: 5 of 6; on Polarfix's site: 1; remote: 0" in text
    assert "<svg" in examples.case_timeline_html()


def _keyed(answers: dict, items: list, dim: str) -> list[float]:
    return [6 - answers[i.id] if i.reverse else answers[i.id] for i in items if i.dimension == dim and i.id in answers]


def test_module3_sam_keller_blind_spot_and_hidden_strength(case):
    inst = catalogue().instrument("manager_profile")
    text = examples_profiles.case_profile_text()
    shown = [r for r in case.m03.raters if r.category != "manager"]  # the manager alone is not shown
    for dim, flag in (("leadership", "blind spot"), ("marketing", "hidden strength")):
        own = _keyed(case.m03.self_answers, inst.items, dim)
        others = [v for r in shown for v in _keyed(r.answers, inst.items, dim)]
        gap = sum(own) / len(own) - sum(others) / len(others)
        assert abs(gap) >= 1  # the workbook's flag threshold (WORKBOOK_BLIND_SPOT_GAP default)
        label = next(d.label for d in inst.dimensions if d.id == dim)
        assert next(line for line in text.splitlines() if line.startswith(label)).endswith(flag)
    assert "Manager: not enough raters" in text
    assert "Routes chosen: Mentoring, Internal coaching." in text


def test_module4_statements_and_grid(case):
    text = examples.case_voices_text()
    outcome = [s for s in case.m04.statements if s.key == "outcome"]
    assert f"  outcome ({len(outcome)}):" in text and f"  process ({len(case.m04.statements) - len(outcome)}):" in text
    line = {ln.split(":")[0].strip(): ln for ln in text.splitlines() if ":" in ln}
    # importance 5, investment 2 (high from 3): concentrate; cited but not on Polarfix's list: never identified
    assert "Night-time response" in line["Concentrate here"]
    assert "Same technician who knows the plant" in line["Never identified by us"]
    assert "ISO 9001 certification" in line["Effort clients ignore"]  # invested in, cited by nobody


def test_module9_grow_reality_comes_from_the_earlier_modules_and_the_plan_is_smart(case):
    text = examples.case_coaching_text()
    assert "360 (Module 3): Marketing and client orientation: hidden strength; Leadership: blind spot" in text
    assert "Technician change on site (-2)" in text  # the map's worst pain point Sam's team controls
    assert text.count("[SMART]") == len(case.m09.actions) and "not SMART" in text  # the draft is not


def test_worked_examples_of_modules_1_to_4_and_9_are_the_case(case):
    for name, fn in (("01_servuction", "case_servuction_text"), ("02_time_space", "case_timeline_text"), ("03_manager_profiles", "case_profile_text"),
                     ("04_process_outcome", "case_voices_text"), ("09_coaching", "case_coaching_text")):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        assert any(fn in c.source and is_checked(c) for c in nb.cells), name
        # its heading: a page_text block (exercises/page_texts.yaml), shown in the page's language
        assert any(f'page_text("{name}", "case")' in c.source for c in nb.cells), name
        words = catalogue().page_text(name, "case")
        assert words.heading.startswith("The Nordfrost case") and "workbook's own" in words.text, name
    for mid in ("m01", "m02", "m03", "m04", "m05", "m09"):
        assert any(s.heading.startswith("The Nordfrost case") and s.source == "workbook" for s in catalogue().module(mid).sections), mid


def test_a_broken_case_file_is_named_with_the_place(tmp_path):
    raw = load_yaml((get_settings().datasets_dir / "case_nordfrost.yaml").read_text(encoding="utf-8"))
    raw["m03"]["raters"][2]["category"] = "friend"
    bad = tmp_path / "case.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"case\.yaml: m03\.raters\[2\]\.category: "):
        read_case(bad)
    with pytest.raises(ContentError, match="no such case file"):
        read_case(tmp_path / "missing.yaml")


@pytest.mark.parametrize("language, groups", [
    ("en", ("production and quality teams", "auditors", "second plant")),
    ("fr", ("équipes production et qualité", "auditeurs", "deuxième usine")),
    ("zh", ("生产和质量团队", "审核员", "第二座工厂")),
])
def test_facilitator_names_the_cases_other_clients(language, groups):
    """The guide's answer on servuction in B2B names the other clients the case data names (issue #15)."""
    other_clients = load_case(language=language).m01.elements["other_clients"]
    guide = next(g for g in catalogue(language).facilitator.modules if g.module == "m01")
    answer = next(m.answer for m in guide.misconceptions if "B2B" in m.claim)  # "servuction is not for B2B"
    assert all(g in other_clients and g in answer for g in groups)
