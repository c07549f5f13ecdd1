"""The exercise types: each type's name and the model of its settings, declared once in ``TYPES``.

``content.Exercise`` accepts exactly the names of ``TYPES``; the ui registers one widget builder per
name (``ui/widgets/exercises``), and ``tests/test_exercise_registry.py`` checks that both agree
with each other and with every ``type:`` in ``exercises/*.yaml``.

An exercise in a module's YAML carries its type's own fields next to ``id``, ``type`` and
``prompt``; the models here validate them when the content is loaded, so a typo in a module
fails at ``workbook content check`` with one line naming the exercise and the field. Every
string a person sees lives here (i.e. in the YAML), so translation needs no code change.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook.errors import one_line

Slug = Field(pattern=r"^[a-z0-9_]+$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Spec):
    """One choice: the stored ``value`` and the ``label`` shown (``text`` explains it, optional)."""

    value: str | int
    label: str
    text: str = ""


def _unique(values: list, what: str, field: str = "") -> None:
    """Refuse a value listed twice, naming the second place (``options[2]``, or ``phases[1].id`` with ``field``)."""
    seen = set()
    for n, v in enumerate(values):
        if v in seen:
            raise ValueError(f"{what}[{n}]{field}: {v!r} is used twice")
        seen.add(v)


class ChecklistItem(_Spec):
    id: str = Slug
    label: str
    text: str = ""


class RatedChecklist(_Spec):
    """Score each lever of a mix (e.g. POSSIBLE) on a few whole-number options (0 = no fit)."""

    title: str
    source: str = ""  # a key of sources.yaml, or "workbook" for the workbook's own derivation
    where: str = ""
    own_label: str = "The workbook's own derivation (not a claim of the sources)."
    items: list[ChecklistItem] = Field(min_length=1)
    retired: list[str] = []  # ids of items taken out: never reused, so stored answers keep their meaning
    options: list[Option] = Field(min_length=2)
    summary: str = "{title}: {percent}% fit ({rated} of {total} rated)."
    gaps_label: str = "Levers that do not fit yet:"

    @model_validator(mode="after")
    def _check(self) -> RatedChecklist:
        _unique([i.id for i in self.items], "items")
        reused = [i.id for i in self.items if i.id in self.retired]
        if reused:
            raise ValueError(f"items: {', '.join(reused)} is retired (listed under retired:); give the new item a new id")
        values = [o.value for o in self.options]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise ValueError("options: every value must be a whole number (0 = does not fit)")
        _unique(values, "options")
        if min(values) != 0:
            raise ValueError("options: the lowest value must be 0 (does not fit)")
        return self


class TextField(_Spec):
    id: str = Slug
    label: str
    placeholder: str = ""
    lines: int = Field(default=2, ge=1, le=12)


class TextFields(_Spec):
    """A few labelled text boxes answered together (e.g. restating the offer as an outcome)."""

    fields: list[TextField] = Field(min_length=1)
    summary_heading: str = ""

    @model_validator(mode="after")
    def _check(self) -> TextFields:
        _unique([f.id for f in self.fields], "fields")
        return self


class Column(_Spec):
    id: str = Slug
    label: str
    kind: Literal["text", "choice", "rating"] = "text"
    options: list[Option] = []  # for choice and rating columns
    placeholder: str = ""

    @model_validator(mode="after")
    def _check(self) -> Column:
        if self.kind in ("choice", "rating") and len(self.options) < 2:
            raise ValueError(f"columns {self.id}: a {self.kind} column needs at least two options")
        if self.kind == "rating" and not all(isinstance(o.value, int) and not isinstance(o.value, bool) for o in self.options):
            raise ValueError(f"columns {self.id}: rating options must have whole-number values")
        if self.kind == "text" and self.options:
            raise ValueError(f"columns {self.id}: a text column takes no options")
        _unique([o.value for o in self.options], f"columns {self.id}.options")
        return self


class RowList(_Spec):
    """A small table the person fills row by row (service actions, boundaries, internal customers)."""

    columns: list[Column] = Field(min_length=1)
    rows: int = Field(default=3, ge=1, le=30)
    max_rows: int = Field(default=12, ge=1, le=30)
    add_label: str = "Add a row"
    remove_label: str = "Remove"
    summary_heading: str = ""
    count_by: str = ""  # a choice column: the summary draws how many rows fall in each option
    chart_title: str = ""
    chart_axis: str = ""
    mean_of: str = ""  # a rating column: the summary gives its mean
    mean_label: str = "Mean {label}: {mean:.1f} over {n} rows."
    empty: str = "Nothing entered yet."

    @model_validator(mode="after")
    def _check(self) -> RowList:
        _unique([c.id for c in self.columns], "columns")
        kinds = {c.id: c.kind for c in self.columns}
        if self.rows > self.max_rows:
            raise ValueError(f"rows: {self.rows} is more than max_rows {self.max_rows}")
        if self.count_by and kinds.get(self.count_by) != "choice":
            raise ValueError(f"count_by: {self.count_by!r} is not a choice column")
        if self.mean_of and kinds.get(self.mean_of) != "rating":
            raise ValueError(f"mean_of: {self.mean_of!r} is not a rating column")
        return self


class PickOne(_Spec):
    """One choice among a few options (e.g. a rung of a ladder), with feedback and a reason."""

    options: list[Option] = Field(min_length=2)
    why_label: str = ""
    feedback: dict[str, str] = {}  # option value -> text shown once chosen
    summary: str = "{label}"

    @model_validator(mode="after")
    def _check(self) -> PickOne:
        values = [str(o.value) for o in self.options]
        _unique(values, "options")
        unknown = sorted(set(self.feedback) - set(values))
        if unknown:
            raise ValueError(f"feedback: {', '.join(unknown)} is not an option value")
        return self


class GrowStep(_Spec):
    """One step of a GROW exercise: the saved item ``id``, its ``label`` and the ``question`` asked."""

    id: str = Slug
    label: str
    question: str


class Grow(_Spec):
    """A GROW conversation (Module 9): its steps and the headings of the results digest."""

    steps: list[GrowStep] = Field(min_length=1)
    results_heading: str = "Your results so far"
    no_results: str = ""

    @model_validator(mode="after")
    def _ids(self) -> Grow:
        _unique([st.id for st in self.steps], "steps")
        return self


class NoSettings(_Spec):
    """A type whose exercises take nothing beyond id, type and prompt (free text, action plan, journey map)."""


# ---- Modules 1, 2 and 4: servuction map, relationship timeline, statement sorting, importance grid ----

class Labelled(_Spec):
    """One labelled element, phase, place or option (Modules 1, 2, 4)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    hint: str = ""


def _unique_ids(choices: list[Labelled], what: str) -> None:
    _unique([c.id for c in choices], what, ".id")


class ServuctionMapTexts(_Spec):
    placeholder: str
    summary_heading: str
    element_column: str
    description_column: str
    empty: str
    missing: str  # {elements}
    complete: str


class ServuctionMapSpec(_Spec):
    """Describe one of your services element by element of the servuction system."""

    service_label: str
    elements: list[Labelled] = Field(min_length=2)
    texts: ServuctionMapTexts

    @model_validator(mode="after")
    def _ids(self) -> ServuctionMapSpec:
        _unique_ids(self.elements, "elements")
        return self


class TimelineTexts(_Spec):
    duration: str  # {unit}
    who: str
    where: str
    where_none: str
    chart_title: str
    axis: str  # {unit}
    place_legend: str
    incomplete: str
    stretch: str  # {before} {after} {unit} {share}
    space: str  # {client_site} {remote} {own_site} {described}
    table_phase: str
    table_duration: str


class TimelineSpec(_Spec):
    """The phases of one client relationship: duration, who is involved, where it happens."""

    relationship_label: str
    unit: str
    max_duration: float = Field(default=600, gt=0)
    phases: list[Labelled] = Field(min_length=2)
    delivery_phase: str
    places: list[Labelled] = Field(min_length=2)
    client_site: str
    own_site: str
    remote: str
    texts: TimelineTexts

    @model_validator(mode="after")
    def _refs(self) -> TimelineSpec:
        _unique_ids(self.phases, "phases")
        _unique_ids(self.places, "places")
        if self.delivery_phase not in {p.id for p in self.phases}:
            raise ValueError(f"delivery_phase: {self.delivery_phase!r} is not one of the phases")
        for key in ("client_site", "own_site", "remote"):
            if getattr(self, key) not in {p.id for p in self.places}:
                raise ValueError(f"{key}: {getattr(self, key)!r} is not one of the places")
        return self


class ClassifyTexts(_Spec):
    unanswered: str  # {total}
    score: str  # {correct} {answered} {total}
    missed_heading: str
    missed_item: str  # {statement} {given} {key} {explanation}
    none_missed: str
    key_share: str  # {process} {outcome} {total}
    chart_title: str
    theme_axis: str
    count_axis: str
    right: str
    wrong: str


class ClassifySpec(_Spec):
    """Sort client statements into outcome or process; graded against the expert key."""

    dataset: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.yaml$")
    options: list[Labelled] = Field(min_length=2)
    texts: ClassifyTexts

    @model_validator(mode="after")
    def _ids(self) -> ClassifySpec:
        _unique_ids(self.options, "options")
        return self


class IpaTexts(_Spec):
    invest_heading: str
    invest_hint: str
    cite_heading: str
    cite_hint: str
    element_placeholder: str
    invest_level: str
    importance_level: str
    chart_title: str
    importance_axis: str
    investment_axis: str
    empty: str
    never_identified: str  # heading
    ignored: str  # heading
    none: str
    category_heading: str
    element_column: str
    importance_column: str
    investment_column: str


class IpaSpec(_Spec):
    """Importance to clients against the company's investment (Martilla & James's grid)."""

    rows: int = Field(ge=1, le=20)
    levels: dict[int, str]
    high: int = Field(ge=1)
    categories: dict[
        Literal["never_identified", "ignored", "concentrate", "keep_up", "low_priority", "overkill"], str
    ]
    texts: IpaTexts

    @model_validator(mode="after")
    def _levels(self) -> IpaSpec:
        if sorted(self.levels) != list(range(1, len(self.levels) + 1)) or len(self.levels) < 3:
            raise ValueError("levels: label the points 1..N (N ≥ 3) exactly once each")
        if not 1 < self.high <= len(self.levels):
            raise ValueError(f"high: {self.high} must lie between 2 and {len(self.levels)}")
        if len(self.categories) != 6:
            raise ValueError("categories: label all six of never_identified, ignored, concentrate, keep_up, low_priority, overkill")
        return self


# Manager-profile (Module 3) and 360 exercise types: widgets/exercises/profile.py, choice.py, feedback360.py
class ProfileResult(_Spec):
    """Where the person stands between two poles of dimensions (C5: the two manager profiles)."""

    instrument: str = ""  # default: the module's instrument
    poles: dict[Literal["technical", "generalist"], list[str]] = {}
    strength_at: float = Field(70, ge=0, le=100)
    gap_below: float = Field(50, ge=0, le=100)
    balanced_within: float = Field(15, ge=0, le=100)


class Attempts(_Spec):
    """Retake an instrument and compare the attempts."""

    instrument: str = ""


class ChoiceOption(_Spec):
    id: str = Slug
    label: str
    description: str = ""


class ChoiceSpec(_Spec):
    """Tick any of a few options (e.g. development routes), with an optional note."""

    options: list[ChoiceOption] = Field(min_length=1)
    note_prompt: str = ""

    @model_validator(mode="after")
    def _check(self) -> ChoiceSpec:
        _unique([o.id for o in self.options], "options")
        return self


class Feedback360(_Spec):
    """Invite 360-degree raters on an instrument and see the anonymised comparison."""

    instrument: str = ""
    intro: str = ""


# ---- the registry: every exercise type, once ------------------------------------------------------

TYPES: dict[str, type[_Spec]] = {
    "text": NoSettings,  # free text (widgets/exercises/text.py)
    "rated_checklist": RatedChecklist,
    "text_fields": TextFields,
    "row_list": RowList,
    "pick_one": PickOne,
    "grow": Grow,  # Module 9
    "action_plan": NoSettings,  # Module 9
    "servuction_map": ServuctionMapSpec,  # Module 1
    "timeline": TimelineSpec,  # Module 2
    "classify": ClassifySpec,  # Module 4
    "ipa": IpaSpec,  # Module 4
    "journey_map": NoSettings,  # Module 5 (the map itself: domain/journey/)
    "profile_result": ProfileResult,  # Module 3
    "attempts": Attempts,  # Module 3
    "choice": ChoiceSpec,
    "feedback360": Feedback360,
}


def parse_spec(kind: str, extra: dict) -> _Spec:
    """Validate an exercise's own fields; ValueError names the first bad field (KeyError: no such type)."""
    try:
        return TYPES[kind].model_validate(extra)
    except ValidationError as exc:
        raise ValueError(one_line(exc, kind=kind)) from exc


def spec_of(exercise) -> _Spec:
    """The validated settings of an exercise (a ``content.Exercise``, whose type the catalogue checked)."""
    return parse_spec(exercise.type, dict(exercise.model_extra or {}))
