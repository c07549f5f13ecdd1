"""Find text copied or retold from the source texts (pure; tests/test_curriculum.py uses it).

Three checks: runs of 12 tokens shared with a seed (``copied_runs``); a seed's own examples used
in the workbook's text (``example_markers``); a module presenting a seed's ideas in the seed's own
order (``idea_order``, ``longest_run_in_seed_order``).

Text is normalised before comparing: Unicode NFKC, lower case, apostrophes dropped, every other
punctuation mark a separator. A token is a word of letters, a number, or a single CJK character
(Chinese has no spaces, so a run of 12 identical characters counts like 12 identical words).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

RUN = 12
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+|\d+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")


def tokens(text: str) -> list[str]:
    """The comparable tokens of a text: words, numbers and single CJK characters, normalised."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return _TOKEN.findall(text)


def shingles(toks: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive tokens."""
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


@lru_cache(maxsize=32)
def _source_shingles(source: str, n: int) -> frozenset[tuple[str, ...]]:
    return frozenset(shingles(tokens(source), n))


def copied_runs(text: str, sources: Iterable[str], n: int = RUN) -> list[str]:
    """The runs of ``n`` or more tokens of ``text`` that also appear in any source, merged, as text."""
    seen: set[tuple[str, ...]] = set()
    for src in sources:
        seen |= _source_shingles(src, n)
    toks = tokens(text)
    hits = [i for i in range(len(toks) - n + 1) if tuple(toks[i : i + n]) in seen]
    runs, start, end = [], None, None
    for i in hits:
        if start is not None and i <= end:
            end = i + n
        else:
            if start is not None:
                runs.append((start, end))
            start, end = i, i + n
    if start is not None:
        runs.append((start, end))
    return [" ".join(toks[a:b]) for a, b in runs]


def strings_of(node: object, where: str = "") -> list[tuple[str, str]]:
    """Every string inside a loaded YAML document, with its place (``sections[2].text``)."""
    out: list[tuple[str, str]] = []
    if isinstance(node, str):
        out.append((where or "(top)", node))
    elif isinstance(node, dict):
        for key, value in node.items():
            out += strings_of(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += strings_of(value, f"{where}[{n}]")
    return out


# ---- retelling: a seed's own examples, and its order of ideas --------------------------------
# A translation or a close paraphrase shares no 12-token run with its source, so two further
# checks look for what a retelling keeps: the source's own examples, and the order in which the
# source presents its ideas. Patterns are case-insensitive regular expressions, in the seed's
# language and in every language the workbook is written in (English, French: exercises/fr/, Chinese: exercises/zh/).


@dataclass(frozen=True)
class SeedProfile:
    """What marks a retelling of one seed: its own examples (name -> pattern) and its ideas in
    the order the seed presents them (name -> pattern of a term that names the idea)."""

    examples: dict[str, str]
    ideas: tuple[tuple[str, str], ...]


SEED_PROFILES: dict[str, SeedProfile] = {
    # 002, « Marketing des Services et Servuction – Approche par la Maîtrise – 2/4 »
    "002": SeedProfile(
        examples={
            "the office 800 km away": r"\b800\s*(km|kilomet|公里|千米)",
            "the design office / engineering consultancy": (
                r"design office|engineering (consultancy|office)|bureau d['’]?\s*[ée]tudes|(?-i:\bBE\b)|expertise d['’]ing[ée]nierie"
                r"|设计院|工程咨询|工程设计(公司|院|所)|设计事务所"
            ),
            "the client as the 'poor relation'": r"poor relation|parent pauvre|穷亲戚",
            "the order signed without meeting": r"without (ever )?meeting|sans jamais rencontrer|从未见面|从没见过面|未曾谋面|素未谋面",
        },
        ideas=(
            ("three entities and three links", r"three entities|trois entit[ée]s|\bentities\b|三个主体|三个实体"),
            ("the postulate", r"postulat|公设"),
            ("the worked example", r"\b800\s*km|poor relation|parent pauvre|design office|800\s*公里|穷亲戚|设计院"),
            ("the mastery approach and its POSSIBLE mix", r"(?-i:\bPOSSIBLE\b)|mastery approach|approche par la ma[iî]trise|专业掌控策略"),
        ),
    ),
    # 003, "From services management to enterprise 2.0"
    "003": SeedProfile(
        examples={
            "mobility instead of cars": r"\bmobility\b|\bmobilit[ée]\b|selling cars|\bcar (maker|manufacturer)s?\b|出行服务|卖车|卖汽车|汽车(制造商|厂商)|车企",
            "tyres sold as landings": r"\btyres?\b|\btires?\b|\bpneus?\b|\blandings?\b|take-?offs?|轮胎|起降|起落",
            "the 'polish' on the customer interface": r"\bpolish\b|\bvarnish\b|\bvernis\b|抛光|上光|清漆",
            "hotel, transportation, car parking": r"car parking|\bparkings?\b|停车场",
        },
        ideas=(
            ("a layer added or a model reinvented", r"\blayer\b|reinvent|\bpolish\b|\bcouche\b|r[ée]invent|\bvernis\b|一层服务|服务层|重塑"),
            ("the car and tyre examples", r"\bmobility\b|\btyres?\b|\btires?\b|\blandings?\b|\bmobilit[ée]\b|\bpneus?\b|atterrissages?|出行服务|卖车|轮胎|起降"),
            ("the traits of a service culture", r"collective intelligence|co-?producers?|\btraits?\b|intelligence collective|co-?producteurs?|集体智慧|共同生产者|特征"),
            ("internal customers", r"internal customers?|clients? internes?|内部客户"),
        ),
    ),
    # 004, 客户价值常识(3)——服务的本质
    "004": SeedProfile(
        examples={
            "the rice shop that delivers": r"\brice\b|米店|买米|\briz\b|大米|送米",
            "the courier": r"\bcouriers?\b|快递|\bcoursiers?\b|livreurs? de colis|送货小哥",
            "taking the rubbish down": r"\brubbish\b|\bgarbage\b|\btrash\b|垃圾|\bpoubelles?\b|\bordures\b",
            "the valve": r"\bvalves?\b|阀门|\bvannes?\b",
            "the consultant who does not clean the house": r"clean(s|ing)?\b[^.]{0,30}\bhouses?\b|house[- ]?clean|打扫|(le|du) m[ée]nage\b|nettoie\w* (la|sa|leur) maison",
            "SaaS": r"(?<![a-z])saas(?![a-z])|软件即服务",
            "dinners and drinks": r"\bdinners?\b|\bdrinks\b|吃饭|喝酒|\bd[îi]ners?\b|boire un verre|饭局|酒局",
            "small presents": r"small (gift|present)s?|小礼物|petits? cadeaux?|小礼品",
            "training after selling equipment": r"after[- ]sales? training|after the sale\b|卖了设备|formation apr[èe]s (la )?vente|卖设备|设备卖出|售后培训",
        },
        ideas=(
            ("the competitive ladder", r"人无我有|\bladder\b|[ée]chelle (concurrentielle|de la concurrence)|竞争阶梯|阶梯"),
            ("feeling, principles and value", r"情怀|原则|with feeling|with principles|avec (du )?sentiment|avec des principes"),
            ("the three layers", r"emotional layer|needs layer|value layer|three layers|trois (niveaux|couches|[ée]tages)|niveau [ée]motionnel|情感层|需求层|价值层|三个层次"),
            ("win-win, the client first", r"win-win|双赢|gagnant[- ]gagnant|共赢"),
        ),
    ),
}
MAX_IDEAS_IN_SEED_ORDER = 2  # a module may follow a seed's order for at most this many ideas in a row


def _plain(text: str) -> str:
    """NFKC text without Markdown emphasis marks (``**P**rice`` reads as ``Price``), every run of
    white space one space (a term broken across two lines of YAML is still found)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("*", ""))


def seed_key(file_name: str) -> str:
    """The profile key of a seed file: its three-digit prefix (``004_c9c9….txt`` -> ``004``)."""
    return file_name[:3]


def example_markers(text: str, profile: SeedProfile) -> list[str]:
    """The seed's own examples that ``text`` uses (their names), in the profile's order."""
    text = _plain(text)
    return [name for name, pattern in profile.examples.items() if re.search(pattern, text, re.IGNORECASE)]


def idea_order(texts: Iterable[str], profile: SeedProfile) -> list[str]:
    """The seed's ideas in the order a module (``texts``: its sections, in order) teaches them.

    An idea is placed at its home section, the one naming it most often (the first such on a tie),
    so a passing mention elsewhere does not move it; ideas sharing a home keep their first position.
    """
    texts = [_plain(t) for t in texts]
    place: dict[str, tuple[int, int]] = {}
    for name, pattern in profile.ideas:
        hits = [list(re.finditer(pattern, t, re.IGNORECASE)) for t in texts]
        counts = [len(h) for h in hits]
        if not any(counts):
            continue
        home = counts.index(max(counts))
        place[name] = (home, hits[home][0].start())
    return sorted(place, key=place.get)


def longest_run_in_seed_order(order: list[str], profile: SeedProfile) -> list[str]:
    """The longest stretch of ``order`` that repeats consecutive ideas of the seed in the seed's order."""
    seed = [name for name, _ in profile.ideas]
    best: list[str] = order[:1]
    for start in range(len(order)):
        k = seed.index(order[start])
        run = [order[start]]
        for nxt in order[start + 1 :]:
            k += 1
            if k < len(seed) and nxt == seed[k]:
                run.append(nxt)
            else:
                break
        if len(run) > len(best):
            best = run
    return best
