"""Load and validate the content under ``exercises/`` (instruments, modules, datasets of prompts).

Content is data: a new module is a YAML file. Every file is validated by pydantic when
loaded; a malformed file raises :class:`ContentError` naming the file, the place inside
it and the reason, e.g. ``exercises/m1.yaml: items[3].scale: 9 is not one of 5, 7``.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook.errors import ContentError, NotFound, place, reason
from workbook.i18n import _
from workbook.settings import get_settings

from .exercise_specs import TYPES, parse_spec
from .facilitator_models import FacilitatorDoc
from .path_models import PathsDoc
from .quiz_spec import Quiz, name_question
from .yaml_text import load_yaml

ConceptId = Annotated[str, Field(pattern=r"^C([1-9]|1[0-9]|2[0-3])$")]

RATER_CATEGORIES = ("manager", "peer", "direct_report", "client")  # 360-degree rater categories (an instrument's rater_items)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """A Likert scale: 5 or 7 points with a label for each point."""

    points: Literal[5, 7]
    anchors: dict[int, str]
    anchors_360: dict[int, str] = {}  # the anchors as raters read them ("like this person"); default: anchors

    @model_validator(mode="after")
    def _anchors_cover_points(self) -> Scale:
        want = set(range(1, self.points + 1))
        if set(self.anchors) != want:
            raise ValueError(f"anchors must label exactly the points 1..{self.points}")
        if self.anchors_360 and set(self.anchors_360) != want:
            raise ValueError(f"anchors_360 must label exactly the points 1..{self.points}")
        return self


class Dimension(_Strict):
    id: str
    label: str
    description: str = ""


class Item(_Strict):
    """One statement rated on the instrument's scale; ``reverse`` items are scored points+1-x."""

    id: str
    text: str
    dimension: str
    reverse: bool = False
    scale: Literal[5, 7] | None = None  # defaults to the instrument's
    text_360: str = ""  # the item phrased about the trainee, for raters
    # Versioning: an item whose wording changes meaningfully gets a new id. The old item stays
    # declared with ``retired_in`` (the instrument version from which it is no longer asked) and
    # ``replaced_by``, so that answers given to it keep their meaning and old attempts score as before.
    added_in: int = Field(default=1, ge=1)
    retired_in: int | None = None
    replaced_by: list[str] = []

    @property
    def retired(self) -> bool:
        return self.retired_in is not None

    def in_version(self, version: int) -> bool:
        """Whether the item was asked in ``version`` of its instrument."""
        return self.added_in <= version and (self.retired_in is None or version < self.retired_in)


VERSION_ITEM = "_version"  # stored beside an attempt's answers: the instrument version they were given on


class Instrument(_Strict):
    """A scored self-assessment (also used by 360-degree raters)."""

    kind: Literal["instrument"]
    id: str
    title: str
    intro: str = ""
    concepts: list[ConceptId] = []
    version: int = Field(default=1, ge=1)  # raised when items are retired or added (see Item)
    scale: Scale
    dont_know: bool = True
    dimensions: list[Dimension]
    items: list[Item]  # the current items, in the order they are asked
    retired_items: list[Item] = []  # items no longer asked (``retired_in``), kept for the answers given to them
    # 360: which items each rater category judges ("all", or a list of item ids); a category left
    # out rates every item. A category sees, answers and is scored on its own items only.
    rater_items: dict[str, Literal["all"] | list[str]] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        dims = {d.id for d in self.dimensions}
        seen: set[str] = set()
        for where, item in self._located():
            if item.dimension not in dims:
                raise ValueError(f"{where}.dimension: {item.dimension!r} is not one of {', '.join(sorted(dims))}")
            if item.id in seen:
                raise ValueError(f"{where}.id: {item.id!r} is used twice")
            if item.scale is not None and item.scale != self.scale.points:
                raise ValueError(f"{where}.scale: {item.scale} differs from the instrument's {self.scale.points}-point scale")
            seen.add(item.id)
        self._check_versions(seen)
        self._check_rater_items(seen)
        return self

    def _located(self) -> list[tuple[str, Item]]:
        return [(f"items[{n}]", i) for n, i in enumerate(self.items)] + [(f"retired_items[{n}]", i) for n, i in enumerate(self.retired_items)]

    @property
    def all_items(self) -> list[Item]:
        """Current and retired items: every id answers may carry."""
        return [*self.items, *self.retired_items]

    def _check_versions(self, ids: set[str]) -> None:
        for where, item in self._located():
            if (item.retired_in is None) != where.startswith("items["):
                raise ValueError(f"{where}: {item.id} " + ("is retired (retired_in): move it to retired_items" if item.retired_in else "has no retired_in: a retired item says from which version"))
            where = f"{where} ({item.id})"
            if item.added_in > self.version:
                raise ValueError(f"{where}.added_in: {item.added_in} is after the instrument's version {self.version}")
            if item.retired_in is not None and not item.added_in < item.retired_in <= self.version:
                raise ValueError(f"{where}.retired_in: {item.retired_in} must be after added_in {item.added_in} and at most the instrument's version {self.version}")
            if item.replaced_by and item.retired_in is None:
                raise ValueError(f"{where}.replaced_by: only a retired item (retired_in) has replacements")
            for new in item.replaced_by:
                if new not in ids:
                    raise ValueError(f"{where}.replaced_by: {new!r} is not an item of instrument {self.id}")
                if self.item(new).added_in != item.retired_in:
                    raise ValueError(f"{where}.replaced_by: {new!r} must be added_in {item.retired_in}, the version that retires {item.id}")
        for version in range(1, self.version + 1):
            for dim in self.dimensions:
                k = sum(1 for i in self.all_items if i.dimension == dim.id and i.in_version(version))
                if k < 2:
                    raise ValueError(f"dimension {dim.id} has {k} item{'s' if k != 1 else ''} in version {version}; a dimension needs at least 2")

    def _check_rater_items(self, ids: set[str]) -> None:
        for category, chosen in self.rater_items.items():
            where = f"rater_items.{category}"
            if category not in RATER_CATEGORIES:
                raise ValueError(f"{where}: {category!r} is not a rater category ({', '.join(RATER_CATEGORIES)})")
            if chosen == "all":
                continue
            for item_id in chosen:
                if item_id not in ids:
                    raise ValueError(f"{where}: item {item_id!r} is not an item of instrument {self.id}")
            if len(set(chosen)) != len(chosen):
                raise ValueError(f"{where}: an item is listed twice")
            for version in range(1, self.version + 1):
                for dim in self.dimensions:
                    mine = [i.id for i in self.all_items if i.dimension == dim.id and i.id in chosen and i.in_version(version)]
                    if len(mine) == 1:
                        at = f" in version {version}" if self.version > 1 else ""
                        raise ValueError(
                            f"{where}: dimension {dim.id} has only item {mine[0]} for {category} raters{at}; list none or at least 2 of its items"
                        )

    def item(self, item_id: str) -> Item:
        for item in self.all_items:
            if item.id == item_id:
                return item
        raise NotFound(f"instrument {self.id}: no item {item_id!r}")

    def rated_ids(self, category: str) -> frozenset[str]:
        """Every item id, current or retired, that raters of ``category`` judge (an answer to any other is not theirs to give)."""
        if category not in RATER_CATEGORIES:
            raise NotFound(f"instrument {self.id}: {category!r} is not a rater category ({', '.join(RATER_CATEGORIES)})")
        chosen = self.rater_items.get(category, "all")
        return frozenset(i.id for i in self.all_items) if chosen == "all" else frozenset(chosen)

    def rater_item_ids(self, category: str, version: int | None = None) -> frozenset[str]:
        """The ids of the items raters of ``category`` are asked in ``version`` (default: the current one)."""
        return frozenset(i.id for i in self.items_for(category, version))

    def items_for(self, category: str | None = None, version: int | None = None) -> list[Item]:
        """The items a respondent answers in ``version`` (default: the current one), in order:
        every item for the person themselves (``category`` None), else the rater category's."""
        version = self.version if version is None else version
        ids = self.rated_ids(category) if category is not None else None
        return [i for i in self.all_items if i.in_version(version) and (ids is None or i.id in ids)]

    def unrated_dimensions(self, category: str) -> list[Dimension]:
        """The dimensions a rater category has no current item of (its raters cannot judge them)."""
        ids = self.rater_item_ids(category)
        return [d for d in self.dimensions if not any(i.dimension == d.id and i.id in ids for i in self.items)]

    def answered_version(self, answers: Mapping[str, object]) -> int:
        """The version a set of answers was given on: the version stored with them (``.version`` of
        the store's answers, or an ``_version`` key) or else the oldest version that has every item they answered (all answers stored before
        versioning are version 1); the current version when nothing tells."""
        stored = getattr(answers, "version", None) or answers.get(VERSION_ITEM)
        if isinstance(stored, int) and not isinstance(stored, bool) and 1 <= stored <= self.version:
            return stored
        known = {i.id for i in self.all_items}
        given = {k for k, v in answers.items() if v is not None and k in known}
        for version in range(1, self.version + 1):
            if all(self.item(k).in_version(version) for k in given):
                return version if given else self.version
        return self.version


class Section(_Strict):
    heading: str
    text: str
    source: str = ""  # a key of sources.yaml, or "workbook" for the workbook's own derivation
    where: str = ""  # section of the source, e.g. "§2.2.1.2"
    figure: str = ""  # a chart drawn after the text: a key of ``pages.figures.FIGURES``


EXERCISE_TYPES = tuple(TYPES)  # the registry of exercise_specs.py


class Exercise(BaseModel):
    """One exercise of a module. ``type`` is a name of ``exercise_specs.TYPES``, which validates the
    fields beyond these (the type's own settings: options, stages, …); the ui draws it by that name."""

    model_config = ConfigDict(extra="allow", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    type: str
    prompt: str = ""

    @model_validator(mode="after")
    def _known_type(self) -> Exercise:
        if self.type not in EXERCISE_TYPES:
            raise ValueError(f"type {self.type!r} is not one of {', '.join(EXERCISE_TYPES)}")
        parse_spec(self.type, dict(self.model_extra or {}))
        return self


class ModuleResults(_Strict):
    """How a module's "your results" shows its instrument: chart kind and its own strings."""

    chart: Literal["bars", "triangle"] = "bars"
    overall_label: str | None = None  # None: the default co-production wording; "": no overall line
    labels: dict[str, str] = {}  # chart- and diagnosis-specific strings (see ui/pages/module.py)
    mixes: dict[str, str] = {}  # triangle: link (dimension id) -> rated_checklist exercise id


class Module(_Strict):
    """A curriculum module: objectives, teaching sections citing seeds, exercises, takeaway."""

    kind: Literal["module"]
    id: str
    number: int = Field(ge=1, le=20)
    title: str
    notebook: str
    concepts: list[ConceptId] = Field(min_length=1)
    objectives: list[str] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    instrument: str | None = None
    exercises: list[Exercise] = []
    takeaway: str = ""
    next: str | None = None
    results: ModuleResults = ModuleResults()

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for s in self.sections if s.source})


class Source(_Strict):
    key: str
    author: str
    title: str
    where: str = ""
    language: str = "en"
    seed_file: str = ""
    publisher: str = ""  # site, journal or publisher, for the full citation
    date: str = ""
    note: str = ""  # e.g. the book a review discusses


class Sources(_Strict):
    kind: Literal["sources"]
    title: str = ""
    intro: str = ""
    labels: dict[str, str] = {}  # the sources page's own words (pages/reference.py)
    sources: list[Source]


class GlossaryEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")  # the same entry in every language (exercises/<lang>/glossary.yaml)
    term: str
    definition: str
    concepts: list[ConceptId] = []


class Glossary(_Strict):
    kind: Literal["glossary"]
    title: str = ""
    intro: str = ""
    labels: dict[str, str] = {}  # the glossary page's own words (pages/reference.py)
    entries: list[GlossaryEntry]

    @model_validator(mode="after")
    def _unique_ids(self) -> Glossary:
        ids = [e.id for e in self.entries]
        for n, i in enumerate(ids):
            if i in ids[:n]:
                raise ValueError(f"entries[{n}].id: {i!r} is used twice")
        return self


class PageText(_Strict):
    """The words of one notebook cell outside the page cell: an optional heading and a Markdown text."""

    heading: str = ""
    text: str = Field(min_length=1)


class PageTexts(_Strict):
    """exercises/page_texts.yaml: the notebooks' own words, by notebook (file stem) and block id, so
    that a notebook holds no language-specific text (``ui.widgets.page_text`` shows them)."""

    kind: Literal["page_texts"]
    pages: dict[str, dict[str, PageText]]


Document = Annotated[Instrument | Module | Sources | Glossary | PathsDoc | Quiz | FacilitatorDoc | PageTexts, Field(discriminator="kind")]


KINDS = ("instrument", "module", "sources", "glossary", "paths", "quiz", "facilitator", "page_texts")


class _Doc(BaseModel):
    doc: Document


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_document(text: str, path: Path | str = "<text>") -> Instrument | Module | Sources | Glossary | PathsDoc | FacilitatorDoc | PageTexts:
    """Parse and validate one YAML document; raise ContentError on the first problem."""
    where = _display(Path(path)) if not isinstance(path, str) or path != "<text>" else path
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"{where}: {pos}{problem}") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: expected a mapping with a 'kind' key at the top, found {type(raw).__name__}")
    try:
        return _Doc(doc=raw).doc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if p != "doc")
        if loc and loc[0] in KINDS:  # discriminated unions put the kind name first
            loc = loc[1:]
        inner = place(loc)
        inner = name_question(raw, inner) if raw.get("kind") == "quiz" else inner
        why = reason(err)
        if inner == "(top)" and (why.startswith("items[") or err["type"] == "value_error"):
            raise ContentError(f"{where}: {why}") from exc
        raise ContentError(f"{where}: {inner}: {why}") from exc


class Catalogue:
    """Every validated document of a content directory, by kind and id."""

    def __init__(self, docs: dict[Path, object], language: str = "en", headings_from: dict[str, Module] | None = None):
        self.language = language  # the language of the text ("en", or a folder of exercises/)
        self._headings_from = headings_from  # a path file in English checks its headings against English modules
        self.instruments: dict[str, Instrument] = {}
        self.modules: dict[str, Module] = {}
        self.sources: dict[str, Source] = {}
        self.glossary: list[GlossaryEntry] = []
        self.quiz: Quiz | None = None  # exercises/quiz.yaml (workbook/domain/quiz_scoring.py scores it)
        self.reference: dict[str, Sources | Glossary] = {}  # "sources"/"glossary" -> its page's title and intro
        self.paths: PathsDoc | None = None  # exercises/paths.yaml: workshop and full paths (workbook/domain/paths.py)
        self._paths_file = ""
        self.page_texts: dict[str, dict[str, PageText]] = {}  # exercises/page_texts.yaml: notebook -> block -> words
        self.facilitator: FacilitatorDoc | None = None  # exercises/facilitator.yaml: the coach's guide (workbook/reporting/facilitator.py)
        self._facilitator_file = ""
        for path, doc in docs.items():
            if isinstance(doc, (Sources, Glossary)) and (doc.title or doc.intro):
                self.reference[doc.kind] = doc
            if isinstance(doc, Instrument):
                self.instruments[doc.id] = doc
            elif isinstance(doc, Module):
                self.modules[doc.id] = doc
            elif isinstance(doc, Sources):
                self.sources.update({s.key: s for s in doc.sources})
            elif isinstance(doc, Quiz):
                self.quiz, self._quiz_file = doc, _display(Path(path))
            elif isinstance(doc, Glossary):
                self.glossary.extend(doc.entries)
            elif isinstance(doc, PathsDoc):
                self.paths, self._paths_file = doc, _display(path)
            elif isinstance(doc, FacilitatorDoc):
                self.facilitator, self._facilitator_file = doc, _display(path)
            elif isinstance(doc, PageTexts):
                self.page_texts.update(doc.pages)
        self._check_references()

    def _check_references(self) -> None:
        for module in self.modules.values():
            if module.instrument and module.instrument not in self.instruments:
                raise ContentError(f"module {module.id}: instrument {module.instrument!r} is not defined in exercises/")
            for n, section in enumerate(module.sections):
                if section.source and section.source != "workbook" and section.source not in self.sources:
                    raise ContentError(f"module {module.id}: sections[{n}].source: {section.source!r} is not in sources.yaml")
            for n, ex in enumerate(module.exercises):
                src = (ex.model_extra or {}).get("source", "")
                if src and src != "workbook" and src not in self.sources:
                    raise ContentError(f"module {module.id}: exercises[{n}].source: {src!r} is not in sources.yaml")
        # answers are stored by exercise id: two exercises sharing one would overwrite each other
        owner: dict[str, str] = {i: f"instrument {i}" for i in self.instruments}
        for module in sorted(self.modules.values(), key=lambda m: m.number):
            for n, ex in enumerate(module.exercises):
                if ex.id in owner:
                    raise ContentError(
                        f"module {module.id}: exercises[{n}].id: {ex.id!r} is already used by {owner[ex.id]}; exercise ids must be unique across the curriculum"
                    )
                owner[ex.id] = f"module {module.id}"
        if self.paths is not None:
            try:
                pages = {p.name for p in get_settings().notebooks_dir.glob("*.ipynb")}
                quiz_ids = {self.quiz.exercise(f.id) for f in self.quiz.forms} if getattr(self, "quiz", None) is not None else set()
                self.paths.check(self._headings_from or self.modules, self.instruments, self._paths_file, pages, quiz_ids)
            except ValueError as exc:
                raise ContentError(str(exc)) from None
        if self.facilitator is not None:
            from .statements import load_statements

            dataset = get_settings().datasets_dir / self.facilitator.statements.dataset
            keys = {st.id: st.key for st in load_statements(dataset).statements}
            try:
                self.facilitator.check(self.modules, self.instruments, self.sources, keys, self._facilitator_file)
            except ValueError as exc:
                raise ContentError(str(exc)) from None
        if self.quiz is not None:
            self._check_quiz(self.quiz, owner)

    def _check_quiz(self, quiz: Quiz, owner: dict[str, str]) -> None:
        for n, q in enumerate(quiz.questions):
            if q.source != "workbook" and q.source not in self.sources:
                raise ContentError(f"{self._quiz_file}: questions[{n}] ({q.id}).source: {q.source!r} is not in sources.yaml")
        for f in quiz.forms:
            if quiz.exercise(f.id) in owner:
                raise ContentError(f"{self._quiz_file}: form {f.id} is stored as {quiz.exercise(f.id)!r}, already used by {owner[quiz.exercise(f.id)]}")

    def instrument(self, instrument_id: str) -> Instrument:
        try:
            return self.instruments[instrument_id]
        except KeyError:
            raise NotFound(f"no instrument {instrument_id!r} in exercises/; known: {', '.join(sorted(self.instruments))}") from None

    def module(self, module_id: str) -> Module:
        try:
            return self.modules[module_id]
        except KeyError:
            raise NotFound(f"no module {module_id!r} in exercises/; known: {', '.join(sorted(self.modules))}") from None

    def page_text(self, notebook: str, block: str) -> PageText:
        """The words of one block of a notebook (exercises/page_texts.yaml)."""
        try:
            return self.page_texts[notebook][block]
        except KeyError:
            raise NotFound(f"no text {block!r} for notebook {notebook!r} in page_texts.yaml") from None

    def ordered_modules(self) -> list[Module]:
        return sorted(self.modules.values(), key=lambda m: m.number)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{_display(path)}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def load_directory(directory: Path) -> Catalogue:
    """Load and validate every ``*.yaml`` file of a directory (not recursive)."""
    docs: dict[Path, object] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        docs[path] = parse_document(_read(path), path)
    return Catalogue(docs)


def load_language(directory: Path, language: str) -> Catalogue:
    """The catalogue in ``language``: each English file of ``directory`` replaced by
    ``<directory>/<language>/<file>`` after checking that it has the English structure (same ids and
    non-text fields), or kept in English where ``<language>/MISSING.yaml`` lists it."""
    from .languages import ENGLISH, check_structure, resolve

    directory = Path(directory)
    if language == ENGLISH:
        return load_directory(directory)
    english = sorted(directory.glob("*.yaml"))
    plan = resolve(directory, language, [p.name for p in english])
    docs: dict[Path, object] = {}
    for path in english:
        local, text = plan[path.name], _read(path)
        if local is not None:
            mine = _read(local)
            check_structure(text, mine, f"{directory.name}/{language}/{path.name}")
            path, text = local, mine
        docs[path] = parse_document(text, path)
    fallback_paths = plan.get("paths.yaml", "") is None
    headings = load_directory(directory).modules if fallback_paths else None
    try:
        return Catalogue(docs, language, headings_from=headings)
    except ContentError as exc:  # a cross-reference: say which language's content it is in
        where = f"{directory.name}/{language}"
        raise ContentError(str(exc) if where in str(exc) else f"{where}: {exc}") from None


def check_directory(directory: Path) -> Catalogue:
    """``workbook content check``: load and validate a content directory, refusing in one line a
    folder that is missing or holds no module (an empty catalogue is never "ok")."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(f"{directory}: no such content directory; give --dir or set WORKBOOK_CONTENT_DIR to the exercises/ folder")
    cat = load_directory(directory)
    if not cat.modules:
        raise ContentError(f"{directory}: no module in the catalogue (no *.yaml file with kind: module); "
                           "give --dir or set WORKBOOK_CONTENT_DIR to the exercises/ folder")
    from .languages import ENGLISH, languages

    for language in languages(directory):
        if language != ENGLISH:
            load_language(directory, language)
    return cat


def missing_translations(directory: Path) -> list[str]:
    """One line per file a language still lacks (listed in its MISSING.yaml; English is shown instead)."""
    from .languages import ENGLISH, language_files, languages

    directory = Path(directory)
    out = []
    for language in languages(directory):
        if language != ENGLISH:
            lf = language_files(directory, language)
            out += [_("{file}: not yet written in {language}; English is shown").format(file=f"{lf.shown(directory)}/{name}", language=language)
                    for name in lf.missing]
    return out


@lru_cache(maxsize=8)
def _cached(directory: str, language: str) -> Catalogue:
    return load_language(Path(directory), language)


def catalogue(language: str | None = None) -> Catalogue:
    """The content of the configured ``exercises/`` directory in ``language`` (English, or a
    language folder with English where its MISSING.yaml says so), loaded once per process per
    language. None: the language being rendered now (``workbook.i18n.current_language``: the page's
    person, a report's, a rater's), so every page and report gets its text in that language."""
    if language is None:
        from workbook.i18n import current_language

        language = current_language()
    return _cached(str(get_settings().content_dir), language)
