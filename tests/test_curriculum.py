"""Curriculum-wide checks: every concept taught, every module cites a seed, no text copied from a seed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from workbook.content import load_directory
from workbook.copycheck import RUN, copied_runs, strings_of, tokens

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
NOTEBOOKS = ROOT / "notebooks"
SEEDS = Path(os.environ.get("WORKBOOK_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
ALL_CONCEPTS = {f"C{n}" for n in range(1, 24)}

# Concepts whose module has not landed yet. The lead empties this as modules arrive: the test
# below fails both when a concept is neither covered nor listed here, and when a listed concept
# is in fact covered (so this list cannot silently go stale).
STILL_MISSING: set[str] = set()


@pytest.fixture(scope="module")
def cat():
    return load_directory(EXERCISES)


def covered(cat) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in cat.ordered_modules():
        for c in m.concepts:
            out.setdefault(c, []).append(m.id)
    return out


def test_every_concept_is_covered_by_a_module_or_listed_as_still_missing(cat):
    have = covered(cat)
    missing = ALL_CONCEPTS - set(have)
    assert not missing - STILL_MISSING, f"concepts taught by no module: {sorted(missing - STILL_MISSING, key=lambda c: int(c[1:]))}"
    stale = STILL_MISSING & set(have)
    assert not stale, f"now covered ({', '.join(f'{c} by {have[c]}' for c in sorted(stale))}): remove them from STILL_MISSING in tests/test_curriculum.py"


def test_every_module_cites_at_least_one_seed(cat):
    seeded = {k for k, s in cat.sources.items() if s.seed_file}
    assert seeded, "sources.yaml names no seed file"
    for m in cat.ordered_modules():
        cites = {s.source for s in m.sections} | {str((e.model_extra or {}).get("source", "")) for e in m.exercises}
        assert cites & seeded, f"module {m.id} cites no seed (its sources: {sorted(cites - {''})})"


def test_every_seed_is_cited_by_the_sources_page(cat):
    files = {s.seed_file for s in cat.sources.values() if s.seed_file}
    if SEEDS.is_dir():
        assert files == {p.name for p in SEEDS.glob("0*.txt")}
    assert len(files) == 5


def test_every_module_has_its_notebook_and_a_valid_next_link(cat):
    for m in cat.ordered_modules():
        assert (NOTEBOOKS / m.notebook).is_file(), f"module {m.id}: notebooks/{m.notebook} is missing"
        if m.next is not None:
            assert m.next in cat.modules or m.next == f"m{m.number + 1:02d}", f"module {m.id}: next {m.next!r} is not a module"


# ---- the copy check -------------------------------------------------------------------------

def test_tokens_normalise_case_punctuation_and_split_cjk():
    assert tokens("The Client’s   report, (delivered)!") == ["the", "clients", "report", "delivered"]
    assert tokens("人无我有，B2B") == ["人", "无", "我", "有", "b", "2", "b"]


WORDS = "one two three four five six seven eight nine ten eleven twelve thirteen".split()


def test_copied_runs_catch_twelve_words_not_eleven():
    source = "Intro. " + " ".join(WORDS) + " outro"
    twelve = "Mine: " + " ".join(w.upper() for w in WORDS[:12]) + "!"
    eleven = "Mine: " + " ".join(WORDS[:11]) + " and more"
    assert copied_runs(twelve, [source]) == [" ".join(WORDS[:12])]
    assert copied_runs(eleven, [source]) == []
    # two overlapping windows are reported as one merged run
    assert copied_runs(" ".join(WORDS), [source]) == [" ".join(WORDS)]


def test_copied_runs_catch_twelve_cjk_characters():
    source = "客户与你合作的终极动力并不是情感而是组织收益"
    assert copied_runs("他说：与你合作的终极动力并不是情感。", [source]) == ["与 你 合 作 的 终 极 动 力 并 不 是 情 感"]
    assert copied_runs("引用：人无我有 (have what others lack) 人有我优", ["人无我有，人有我优，人优我特，人特我廉"]) == []
    assert copied_runs("与你合作的终极动力并不是", [source]) == ["与 你 合 作 的 终 极 动 力 并 不 是"]  # exactly 12
    assert copied_runs("与你合作的终极动力并不", [source]) == []  # 11


def _content_strings():
    for path in sorted(EXERCISES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("kind") == "sources":
            continue  # citations quote titles on purpose
        for where, text in strings_of(doc):
            yield path.name, where, text


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS} (set WORKBOOK_SEEDS_DIR)")
def test_no_content_string_copies_a_seed():
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    assert len(seeds) == 5
    found = [f"{name}: {where}: copies {RUN}+ words of a seed: “{run}”" for name, where, text in _content_strings() for run in copied_runs(text, seeds)]
    assert not found, "\n".join(found)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS} (set WORKBOOK_SEEDS_DIR)")
def test_the_copy_check_would_catch_a_pasted_sentence():
    seed = (SEEDS / "003_c711edba75604ea3.txt").read_text(encoding="utf-8")
    pasted = seed.split("In B2B industries, ")[1].split(".")[0]  # one sentence of the review
    assert copied_runs(f"As the review says, {pasted}.", [seed])
