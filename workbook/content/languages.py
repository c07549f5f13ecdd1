"""Content in other languages: ``exercises/<lang>/<file>.yaml`` beside the English ``exercises/<file>.yaml``.

A language file is a whole document of the same kind as its English file, with the same ids and the
same non-text fields (scale points, reverse keys, dimensions, scoring, types, counts, concepts,
sources keys); only its text differs. So answers, scores, 360 ratings and cohort statistics pool by
item id across languages. A module's teaching (``sections``, ``objectives``) is written afresh in
each language, so its number and order of sections may differ. ``exercises/<lang>/MISSING.yaml``
lists the files not yet written in that language; for those, and only those, English is used.

The same rule holds for text data in ``datasets/<lang>/`` (client statements, the case's texts):
figures come from the one English file, checked equal.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from workbook.errors import ContentError, NotFound
from workbook.i18n import _

from .yaml_text import load_yaml

ENGLISH = "en"
MISSING_FILE = "MISSING.yaml"
_LANG_DIR = re.compile(r"^[a-z]{2}$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Keys whose string values are text (written in each language). Every other string is structural
# (an id, a type, a key of sources.yaml, a file name…) and must equal the English one: a key added
# to the content is structural until listed here, so a forgotten one fails loudly, never silently.
TEXT_KEYS = frozenset({
    "title", "intro", "text", "text_360", "label", "description", "heading", "prompt", "hint", "takeaway",
    "term", "definition", "feedback", "stem", "question", "answer", "claim", "why", "other_side",
    "placeholder", "summary", "summary_heading", "add_label", "remove_label", "empty", "gaps_label",
    "mean_label", "no_results", "note_prompt", "own_label", "relationship_label", "results_heading",
    "service_label", "why_label", "chart_axis", "chart_title", "unit", "where", "note", "read", "group",
    "overall_label",
    # datasets: client statements and the case's texts
    "explanation", "service", "moment", "relationship", "who", "element", "comment", "route_note", "goal", "reality",
    "options", "way_forward", "owner", "measure", "offer", "because", "line", "team", "need", "action", "case",
})
# Mappings whose every value is text (their keys are ids).
TEXT_MAPS = frozenset({"anchors", "anchors_360", "labels", "texts", "categories", "levels", "themes", "elements", "feedback"})  # feedback: pick_one's text per option value
# (parent, key) pairs that are structural although the key is text elsewhere.
NOT_TEXT = frozenset({("sources", "title"), ("sources", "author"), ("sources", "publisher"), ("sources", "date")})  # citations
NOT_TEXT_UNDER = frozenset({("phases", "where")})  # (grandparent, key): the case's timeline phases name a place id
# Lists a language writes afresh: any length, any order (each entry still validated by its model).
FREE_LISTS = frozenset({"sections", "objectives"})


def is_text(path: tuple[str, ...]) -> bool:
    """Whether the string at ``path`` (the keys leading to it, list positions left out) is text that
    each language writes."""
    key = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    if (parent, key) in NOT_TEXT or (len(path) > 2 and (path[-3], key) in NOT_TEXT_UNDER):
        return False
    if path == ("source",):  # a data file's own citation line (client_statements.yaml)
        return True
    return key in TEXT_KEYS or parent in TEXT_MAPS


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a text (filled in by the code, so every language needs the same)."""
    return set(_PLACEHOLDER.findall(text))


def _at(where: str, key: object) -> str:
    return f"{where}[{key}]" if isinstance(key, int) else (f"{where}.{key}" if where else str(key))


def _kind(node: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number", type(None): "empty"}.get(type(node), type(node).__name__)


def compare(english: object, other: object, where: str = "", path: tuple[str, ...] = (),
            text: Callable[[tuple[str, ...]], bool] = is_text) -> str | None:
    """The first difference of structure between a language's document and the English one, as
    ``place: what`` (None when they agree): keys, list lengths, every non-text value, empty text and
    ``{placeholders}``."""
    if isinstance(english, dict):
        if not isinstance(other, dict):
            return f"{where or '(top)'}: {_kind(other)}, English has a mapping"
        for k in english:
            if k not in other:
                return f"{_at(where, k)}: missing, English has it"
        for k in other:
            if k not in english:
                return f"{_at(where, k)}: not in the English file"
        for k, v in english.items():
            found = compare(v, other[k], _at(where, k), (*path, str(k)), text)
            if found:
                return found
        return None
    if isinstance(english, list):
        if not isinstance(other, list):
            return f"{where}: {_kind(other)}, English has a list"
        key = path[-1] if path else ""
        if key in FREE_LISTS:
            return None if other else f"{where}: empty, English has {len(english)}"
        if len(english) != len(other):
            noun = key or "entries"
            return f"{where}: {len(other)} {noun}, English has {len(english)}"
        for n, (a, b) in enumerate(zip(english, other, strict=True)):
            found = compare(a, b, _at(where, n), path, text)
            if found:
                return found
        return None
    if isinstance(english, str) and text(path):
        if not isinstance(other, str):
            return f"{where}: {_kind(other)}, English has text"
        if bool(english.strip()) != bool(other.strip()):
            return f"{where}: empty text, English has text" if english.strip() else f"{where}: has text, English leaves it empty"
        mine, theirs = placeholders(other), placeholders(english)
        if mine != theirs:
            lacking = ", ".join("{" + p + "}" for p in sorted(theirs - mine))
            extra = ", ".join("{" + p + "}" for p in sorted(mine - theirs))
            return f"{where}: placeholders differ from English" + (f" (lacks {lacking})" if lacking else "") + (f" (has {extra}, English has not)" if extra else "")
        return None
    if english != other or type(english) is not type(other):
        return f"{where}: {other!r}, English has {english!r}"
    return None


@dataclass(frozen=True)
class LanguageFiles:
    """Where one language's files are and which English files it still lacks."""

    language: str
    folder: Path
    missing: tuple[str, ...]  # file names listed in MISSING.yaml

    def shown(self, folder: Path) -> str:
        """``exercises/fr``: the folder as messages name it."""
        return f"{folder.name}/{self.language}"


def languages(directory: Path) -> list[str]:
    """The content languages of ``directory``: English and every two-letter sub-folder."""
    directory = Path(directory)
    found = sorted(p.name for p in directory.iterdir() if p.is_dir() and _LANG_DIR.match(p.name)) if directory.is_dir() else []
    return [ENGLISH, *(lang for lang in found if lang != ENGLISH)]


def read_missing(folder: Path, shown: str) -> tuple[str, ...]:
    """The file names ``<folder>/MISSING.yaml`` lists (``missing:``, a list of names); none when absent."""
    path = folder / MISSING_FILE
    if not path.is_file():
        return ()
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"{shown}/{MISSING_FILE}: not valid YAML ({str(exc).splitlines()[0]})") from None
    names = (raw.get("missing") or []) if isinstance(raw, dict) else None  # "missing:" with nothing under it: none
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise ContentError(f"{shown}/{MISSING_FILE}: expected 'missing:' with a list of file names")
    if len(set(names)) != len(names):
        raise ContentError(f"{shown}/{MISSING_FILE}: a file is listed twice")
    return tuple(names)


def language_files(directory: Path, language: str) -> LanguageFiles:
    """The folder and MISSING list of ``language`` under ``directory`` (NotFound for a language without a folder)."""
    directory = Path(directory)
    folder = directory / language
    if not folder.is_dir():
        raise NotFound(f"no content in language {language!r}; available: {', '.join(languages(directory))}")
    files = LanguageFiles(language, folder, ())
    return LanguageFiles(language, folder, read_missing(folder, files.shown(directory)))


def resolve(directory: Path, language: str, english_names: list[str]) -> dict[str, Path | None]:
    """For each English file name, the language's file, or None where MISSING.yaml lists it.

    Refused in one line: a file neither written nor listed, a file listed but written, a listed name
    that is no English file, a language file with no English counterpart."""
    lf = language_files(directory, language)
    shown = lf.shown(Path(directory))
    have = {p.name for p in lf.folder.iterdir() if p.suffix in (".yaml", ".csv") and p.name != MISSING_FILE}
    out: dict[str, Path | None] = {}
    for name in lf.missing:
        if name not in english_names:
            raise ContentError(f"{shown}/{MISSING_FILE}: {name!r} is not a file of {Path(directory).name}/")
        if name in have:
            raise ContentError(f"{shown}/{MISSING_FILE}: {name} is written now: remove it from the list")
    for name in sorted(have - set(english_names)):
        raise ContentError(f"{shown}/{name}: no English file of that name in {Path(directory).name}/")
    for name in english_names:
        if name in have:
            out[name] = lf.folder / name
        elif name in lf.missing:
            out[name] = None
        else:
            raise ContentError(f"{shown}/{name}: missing; write it or list it in {shown}/{MISSING_FILE} (English is then shown)")
    return out


def check_structure(english_text: str, other_text: str, shown: str) -> object:
    """Parse a language file and compare it with its English file; return its raw YAML. ContentError
    ``exercises/fr/m01.yaml: exercises[2].options: 4 options, English has 5`` on the first difference."""
    try:
        other = load_yaml(other_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ContentError(f"{shown}: {pos}{getattr(exc, 'problem', None) or str(exc).splitlines()[0]}") from None
    found = compare(load_yaml(english_text), other)
    if found:
        raise ContentError(f"{shown}: {found}")
    return other


# The text data files of datasets/ that pages show: each language writes them in datasets/<lang>/ or
# lists them in datasets/<lang>/MISSING.yaml.
TEXT_DATASETS = ("case_nordfrost.yaml", "case_nordfrost_m06_m08.yaml", "client_statements.yaml",
                 "journey_example.csv", "salesforce_2019.csv")
# A CSV's text columns (written in each language); every other column is an id, a code or a figure,
# equal to the English file's. The actor columns keep their parsed ``front:`` / ``back:`` markers.
CSV_TEXT_COLUMNS = {
    "journey_example.csv": frozenset({"map_title", "map_client", "stage", "touchpoint", "client_action", "frontstage",
                                      "backstage", "support", "pain_point", "opportunity", "client_actors",
                                      "provider_actors"}),
    "salesforce_2019.csv": frozenset({"statement"}),
}
_SIDE_COLUMNS = ("client_actors", "provider_actors")


def _sides(cell: str) -> list[str]:
    return [p.split(":")[0].strip() if ":" in p.split(" ")[0] else "" for p in cell.split("; ")] if cell else []


def check_csv(english_text: str, other_text: str, shown: str) -> None:
    """Compare a language's CSV with its English file: same columns, same rows, every non-text cell
    equal, text cells empty in neither or both, the same actor markers. ContentError
    ``datasets/fr/journey_example.csv: row 3, column stage_id: 's_x', English has 's_needs'`` on the first difference."""
    import csv
    import io

    english = list(csv.reader(io.StringIO(english_text)))
    other = list(csv.reader(io.StringIO(other_text)))
    if not other or other[0] != english[0]:
        raise ContentError(f"{shown}: columns {', '.join(other[0]) if other else '(none)'}, English has {', '.join(english[0])}")
    if len(other) != len(english):
        raise ContentError(f"{shown}: {len(other) - 1} rows, English has {len(english) - 1}")
    text = CSV_TEXT_COLUMNS.get(Path(shown).name, frozenset())
    for n, (a, b) in enumerate(zip(english[1:], other[1:], strict=True), start=1):
        if len(b) != len(a):
            raise ContentError(f"{shown}: row {n}: {len(b)} cells, English has {len(a)}")
        for column, x, y in zip(english[0], a, b, strict=True):
            if column not in text:
                if x != y:
                    raise ContentError(f"{shown}: row {n}, column {column}: {y!r}, English has {x!r}")
            elif bool(x.strip()) != bool(y.strip()):
                raise ContentError(f"{shown}: row {n}, column {column}: " + ("empty text, English has text" if x.strip() else "has text, English leaves it empty"))
            elif column in _SIDE_COLUMNS and _sides(x) != _sides(y):
                raise ContentError(f"{shown}: row {n}, column {column}: front/back markers {_sides(y)}, English has {_sides(x)}")


def localized_dataset(english: Path, language: str) -> Path:
    """``datasets/<lang>/<name>`` for the English data file ``datasets/<name>``, after checking that it
    has the English ids and figures; the English file where ``datasets/<lang>/MISSING.yaml`` lists it.
    A text data file neither written nor listed is a ContentError (so is an unknown language)."""
    english = Path(english)
    if language == ENGLISH:
        return english
    datasets = english.parent
    resolved = resolve_datasets(datasets, language)
    if english.name not in resolved:
        return english  # not a text file (figures only)
    local = resolved[english.name]
    if local is None:
        return english
    shown = f"{datasets.name}/{language}/{english.name}"
    check = check_csv if english.suffix == ".csv" else check_structure
    check(english.read_text(encoding="utf-8"), local.read_text(encoding="utf-8"), shown)
    return local


def resolve_datasets(datasets: Path, language: str) -> dict[str, Path | None]:
    """:func:`resolve` for the text data files of ``datasets/`` (no folder: every file listed as missing)."""
    names = [n for n in TEXT_DATASETS if (Path(datasets) / n).is_file()]
    if not (Path(datasets) / language).is_dir():
        return dict.fromkeys(names)  # reported by missing_datasets
    return resolve(datasets, language, names)


def check_datasets(datasets: Path, language: str) -> list[str]:
    """Check every text data file of ``language`` against English (ContentError on the first
    difference) and return one line per file still shown in English."""
    out = []
    for name, local in resolve_datasets(datasets, language).items():
        if local is None:
            out.append(_("{file}: not yet written in {language}; English is shown").format(file=f"{Path(datasets).name}/{language}/{name}", language=language))
        else:
            localized_dataset(Path(datasets) / name, language)
    return out
