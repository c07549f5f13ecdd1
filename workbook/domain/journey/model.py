"""A journey map's model (pure): stages holding touchpoints in order, frozen pydantic models, the codes and
their labels (gettext: in the language being rendered), loading, dumping and a new map with the B2B stages.

Stored maps and CSV files carry the codes only (``face_to_face``, ``client_site``…), never a label, so a map
reads the same in every language and an import accepts the codes whatever the exporter's language."""
from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbook.errors import InvalidAnswer, NotFound, one_line
from workbook.i18n import _l

# a new map's stages, named in the language of the person creating it (a saved map keeps the names it got)
DEFAULT_STAGES = (
    _l("First contact"),
    _l("Needs definition"),
    _l("Purchasing and negotiation"),
    _l("Contract and onboarding"),
    _l("Delivery on the client's site"),
    _l("Remote delivery and support"),
    _l("Relationship review"),
    _l("Renewal / next opportunity"),
)

CHANNELS = ("face_to_face", "phone", "email", "video", "portal", "document", "connected_device", "other")
LOCATIONS = ("client_site", "provider_site", "remote")
ELEMENTS = ("process", "outcome")
CONTROLS = ("me", "my_team", "other_department", "client")
SIDES = ("front_line", "back_office")
VARIANTS = ("as_is", "to_be")

# the codes' words, in the language being rendered (lazy: looked up when shown, see ``label``)
LABELS = {
    "face_to_face": _l("face to face"), "phone": _l("phone"), "email": _l("e-mail"), "video": _l("video call"),
    "portal": _l("client portal"), "document": _l("document / report"), "connected_device": _l("connected device"),
    "other": _l("other"), "client_site": _l("client's site"), "provider_site": _l("our site"), "remote": _l("remote"),
    "process": _l("process"), "outcome": _l("outcome"), "me": _l("me"), "my_team": _l("my team"),
    "other_department": _l("another department"), "client": _l("the client"), "front_line": _l("front line"),
    "back_office": _l("back office"), "as_is": _l("as it is today"), "to_be": _l("as it should be"),
}
MAX_TEXT = 500
MAX_NAME = 120
MAX_ROWS = 2000
_SIDE_PREFIX = {"front": "front_line", "back": "back_office"}


def new_id(prefix: str) -> str:
    """A short random identifier, e.g. ``t3f9a0c12``."""
    return prefix + uuid.uuid4().hex[:8]


def label(code: str) -> str:
    """A code's label (channel, location, element, control, side, variant) in the language being rendered."""
    return str(LABELS[code]) if code in LABELS else code


# pydantic strips what Unicode calls white space; Python's str.strip() also strips \x1c-\x1f.
_WS = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f")


def _trim(text: str) -> str:
    """Strip white space exactly as the models do (so CSV import and the models agree)."""
    return text.strip(_WS)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Actor(_Frozen):
    """A provider-side role and whether it works in front of the client or behind the scenes."""

    role: str = Field(min_length=1, max_length=MAX_NAME)
    side: Literal["front_line", "back_office"] = "front_line"

    @field_validator("role")
    @classmethod
    def _no_separator(cls, v: str) -> str:
        if ";" in v:
            raise ValueError("a role may not contain ';'")
        return v


class Touchpoint(_Frozen):
    """One interaction between client and provider, with every field the map records."""

    id: str = Field(default_factory=lambda: new_id("t"), pattern=r"^[A-Za-z0-9_-]{1,40}$")
    name: str = Field(min_length=1, max_length=MAX_NAME)
    client_actors: tuple[str, ...] = ()
    provider_actors: tuple[Actor, ...] = ()
    channel: Literal["face_to_face", "phone", "email", "video", "portal", "document", "connected_device", "other"] = "face_to_face"
    location: Literal["client_site", "provider_site", "remote"] = "client_site"
    client_action: str = Field(default="", max_length=MAX_TEXT)
    frontstage: str = Field(default="", max_length=MAX_TEXT)
    backstage: str = Field(default="", max_length=MAX_TEXT)
    support: str = Field(default="", max_length=MAX_TEXT)
    element: Literal["process", "outcome"] = "process"
    emotion: int = Field(default=0, ge=-2, le=2)
    pain_point: str = Field(default="", max_length=MAX_TEXT)
    opportunity: str = Field(default="", max_length=MAX_TEXT)
    moment_of_truth: bool = False
    control: Literal["me", "my_team", "other_department", "client"] = "my_team"

    @field_validator("client_actors")
    @classmethod
    def _roles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(r.strip() for r in v if r.strip())
        for r in out:
            if ";" in r or len(r) > MAX_NAME:
                raise ValueError(f"role {r[:40]!r} must be at most {MAX_NAME} characters without ';'")
        return out

    @field_validator("emotion", mode="before")
    @classmethod
    def _whole(cls, v: object) -> object:
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError("must be a whole number from -2 to 2")
        return v


class Stage(_Frozen):
    """A stage of the journey and its touchpoints, in order."""

    id: str = Field(default_factory=lambda: new_id("s"), pattern=r"^[A-Za-z0-9_-]{1,40}$")
    name: str = Field(min_length=1, max_length=MAX_NAME)
    touchpoints: tuple[Touchpoint, ...] = ()


class JourneyMap(_Frozen):
    """A whole map: one client (or offer), as it is today or as it should be."""

    id: str = Field(default_factory=lambda: new_id("m"), pattern=r"^[A-Za-z0-9_-]{1,40}$")
    title: str = Field(min_length=1, max_length=MAX_NAME)
    client: str = Field(default="", max_length=MAX_NAME)
    variant: Literal["as_is", "to_be"] = "as_is"
    stages: tuple[Stage, ...] = ()

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise NotFound(f"map {self.title!r} has no stage {stage_id!r}")

    def find(self, touchpoint_id: str) -> tuple[int, int]:
        """(stage index, touchpoint index) of a touchpoint."""
        for si, s in enumerate(self.stages):
            for ti, t in enumerate(s.touchpoints):
                if t.id == touchpoint_id:
                    return si, ti
        raise NotFound(f"map {self.title!r} has no touchpoint {touchpoint_id!r}")

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        si, ti = self.find(touchpoint_id)
        return self.stages[si].touchpoints[ti]

    def touchpoints(self) -> list[tuple[Stage, Touchpoint]]:
        """Every touchpoint with its stage, in journey order."""
        return [(s, t) for s in self.stages for t in s.touchpoints]


# ---------------------------------------------------------------- validation helpers

def _validated(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidAnswer(f"{model.__name__.lower()} {one_line(exc)}") from exc


def load_map(data: dict) -> JourneyMap:
    """Validate a map from its JSON form (as stored); InvalidAnswer names the bad field."""
    return _validated(JourneyMap, data)  # type: ignore[return-value]


def dump_map(m: JourneyMap) -> dict:
    """The map as plain JSON-ready data (the stored form)."""
    return m.model_dump(mode="json")


def new_map(title: str, client: str = "", stages: tuple[str, ...] | list[str] = DEFAULT_STAGES, variant: str = "as_is") -> JourneyMap:
    """A map with the B2B default stages (or the given ones) and no touchpoints."""
    return _validated(JourneyMap, {"title": title, "client": client, "variant": variant, "stages": [{"name": str(n)} for n in stages]})  # type: ignore[return-value]


def _with_stages(m: JourneyMap, stages: list[Stage]) -> JourneyMap:
    return m.model_copy(update={"stages": tuple(stages)})


def _move(seq: list, old: int, new: int) -> list:
    item = seq.pop(old)
    new = max(0, min(new, len(seq)))
    seq.insert(new, item)
    return seq
