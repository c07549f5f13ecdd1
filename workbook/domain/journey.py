"""Customer-journey and service-blueprint maps: the model, its operations and CSV (pure).

A map is a list of stages; each stage holds touchpoints in order. Every operation returns a
new map (the models are frozen), so an editor can keep the previous one for undo and the
store can append each version as a new row. CSV import validates every row first and
returns a map only when all rows are good: a bad file is refused whole, with each problem
named by row and column.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbook.errors import ImportFormatError, InvalidAnswer, NotFound, one_line, reason

DEFAULT_STAGES = (
    "First contact",
    "Needs definition",
    "Purchasing and negotiation",
    "Contract and onboarding",
    "Delivery on the client's site",
    "Remote delivery and support",
    "Relationship review",
    "Renewal / next opportunity",
)

CHANNELS = ("face_to_face", "phone", "email", "video", "portal", "document", "connected_device", "other")
LOCATIONS = ("client_site", "provider_site", "remote")
ELEMENTS = ("process", "outcome")
CONTROLS = ("me", "my_team", "other_department", "client")
SIDES = ("front_line", "back_office")
VARIANTS = ("as_is", "to_be")

LABELS: dict[str, str] = {
    "face_to_face": "face to face", "phone": "phone", "email": "e-mail", "video": "video call",
    "portal": "client portal", "document": "document / report", "connected_device": "connected device",
    "other": "other", "client_site": "client's site", "provider_site": "our site", "remote": "remote",
    "process": "process", "outcome": "outcome", "me": "me", "my_team": "my team",
    "other_department": "another department", "client": "the client", "front_line": "front line",
    "back_office": "back office", "as_is": "as it is today", "to_be": "as it should be",
}
MAX_TEXT = 500
MAX_NAME = 120
MAX_ROWS = 2000
_SIDE_PREFIX = {"front": "front_line", "back": "back_office"}


def new_id(prefix: str) -> str:
    """A short random identifier, e.g. ``t3f9a0c12``."""
    return prefix + uuid.uuid4().hex[:8]


def label(code: str) -> str:
    """The plain-English label of a code (channel, location, element, control, side)."""
    return LABELS.get(code, code)


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
    return _validated(JourneyMap, {"title": title, "client": client, "variant": variant, "stages": [{"name": n} for n in stages]})  # type: ignore[return-value]


def _with_stages(m: JourneyMap, stages: list[Stage]) -> JourneyMap:
    return m.model_copy(update={"stages": tuple(stages)})


def _move(seq: list, old: int, new: int) -> list:
    item = seq.pop(old)
    new = max(0, min(new, len(seq)))
    seq.insert(new, item)
    return seq


# ---------------------------------------------------------------- operations (each returns a new map)

def edit_map(m: JourneyMap, **changes: object) -> JourneyMap:
    """Change the title, client or variant."""
    unknown = set(changes) - {"title", "client", "variant"}
    if unknown:
        raise InvalidAnswer(f"map: cannot change {', '.join(sorted(unknown))}")
    return _validated(JourneyMap, {**dump_map(m), **changes})  # type: ignore[return-value]


def add_stage(m: JourneyMap, name: str, at: int | None = None) -> JourneyMap:
    """Insert a new empty stage (at the end unless ``at`` is given)."""
    stage = _validated(Stage, {"name": name})
    stages = list(m.stages)
    stages.insert(len(stages) if at is None else max(0, min(at, len(stages))), stage)  # type: ignore[arg-type]
    return _with_stages(m, stages)


def rename_stage(m: JourneyMap, stage_id: str, name: str) -> JourneyMap:
    """Give a stage a new name; its touchpoints stay."""
    old = m.stage(stage_id)
    new = _validated(Stage, {**old.model_dump(mode="json"), "name": name})
    return _with_stages(m, [new if s.id == stage_id else s for s in m.stages])  # type: ignore[misc]


def move_stage(m: JourneyMap, stage_id: str, to: int) -> JourneyMap:
    """Move a stage to position ``to`` (0-based), keeping everything else in order."""
    idx = [s.id for s in m.stages].index(m.stage(stage_id).id)
    return _with_stages(m, _move(list(m.stages), idx, to))


def delete_stage(m: JourneyMap, stage_id: str) -> JourneyMap:
    """Remove a stage and its touchpoints."""
    m.stage(stage_id)
    return _with_stages(m, [s for s in m.stages if s.id != stage_id])


def add_touchpoint(m: JourneyMap, stage_id: str, at: int | None = None, **fields: object) -> JourneyMap:
    """Add a touchpoint to a stage (at the end unless ``at`` is given)."""
    tp = _validated(Touchpoint, fields)
    stage = m.stage(stage_id)
    tps = list(stage.touchpoints)
    tps.insert(len(tps) if at is None else max(0, min(at, len(tps))), tp)  # type: ignore[arg-type]
    return _with_stages(m, [s.model_copy(update={"touchpoints": tuple(tps)}) if s.id == stage_id else s for s in m.stages])


def edit_touchpoint(m: JourneyMap, touchpoint_id: str, **changes: object) -> JourneyMap:
    """Change some fields of a touchpoint (validated); the rest of the map is untouched."""
    if "id" in changes:
        raise InvalidAnswer("touchpoint id: cannot be changed")
    si, ti = m.find(touchpoint_id)
    old = m.stages[si].touchpoints[ti]
    new = _validated(Touchpoint, {**old.model_dump(mode="json"), **changes})
    tps = list(m.stages[si].touchpoints)
    tps[ti] = new  # type: ignore[call-overload]
    stages = list(m.stages)
    stages[si] = stages[si].model_copy(update={"touchpoints": tuple(tps)})
    return _with_stages(m, stages)


def move_touchpoint(m: JourneyMap, touchpoint_id: str, to: int, stage_id: str | None = None) -> JourneyMap:
    """Move a touchpoint to position ``to`` in its stage, or in another stage."""
    si, ti = m.find(touchpoint_id)
    tp = m.stages[si].touchpoints[ti]
    target = si if stage_id is None else [s.id for s in m.stages].index(m.stage(stage_id).id)
    stages = [list(s.touchpoints) for s in m.stages]
    stages[si].pop(ti)
    to = max(0, min(to, len(stages[target])))
    stages[target].insert(to, tp)
    return _with_stages(m, [s.model_copy(update={"touchpoints": tuple(t)}) for s, t in zip(m.stages, stages)])


def delete_touchpoint(m: JourneyMap, touchpoint_id: str) -> JourneyMap:
    """Remove one touchpoint; every other touchpoint keeps its place."""
    si, ti = m.find(touchpoint_id)
    stages = list(m.stages)
    stages[si] = stages[si].model_copy(update={"touchpoints": tuple(t for t in stages[si].touchpoints if t.id != touchpoint_id)})
    return _with_stages(m, stages)


def duplicate_map(m: JourneyMap, title: str | None = None, variant: str | None = None) -> JourneyMap:
    """A copy under a new map id; stage and touchpoint ids are kept so the two can be compared."""
    data = dump_map(m)
    data.update(id=new_id("m"), title=title or f"{m.title} (copy)"[:MAX_NAME], variant=variant or m.variant)
    return load_map(data)


# ---------------------------------------------------------------- analysis

@dataclass(frozen=True)
class ActionItem:
    """A pain point or moment of truth the person (or their team) controls."""

    stage: str
    touchpoint: str
    kind: str  # "pain point" | "moment of truth"
    text: str
    control: str
    emotion: int


def action_list(m: JourneyMap, controls: tuple[str, ...] = ("me", "my_team")) -> list[ActionItem]:
    """Pain points and moments of truth controlled by ``controls``, in journey order (moments of truth first per touchpoint)."""
    out: list[ActionItem] = []
    for s, t in m.touchpoints():
        if t.control not in controls:
            continue
        if t.moment_of_truth:
            out.append(ActionItem(s.name, t.name, "moment of truth", t.client_action or t.frontstage, t.control, t.emotion))
        if t.pain_point:
            out.append(ActionItem(s.name, t.name, "pain point", t.pain_point, t.control, t.emotion))
    return out


def summary_counts(m: JourneyMap) -> dict[str, int]:
    """Counts a report or a coach needs at a glance."""
    tps = [t for _s, t in m.touchpoints()]
    return {
        "stages": len(m.stages),
        "touchpoints": len(tps),
        "moments_of_truth": sum(t.moment_of_truth for t in tps),
        "pain_points": sum(bool(t.pain_point) for t in tps),
        "at_client_site": sum(t.location == "client_site" for t in tps),
        "process": sum(t.element == "process" for t in tps),
        "outcome": sum(t.element == "outcome" for t in tps),
        "controlled_by_me_or_team": sum(t.control in ("me", "my_team") for t in tps),
    }


def signed(n: int) -> str:
    """An emotion as text: +2, +1, 0, -1, -2."""
    return f"{n:+d}" if n else "0"


def summary_text(m: JourneyMap) -> str:
    """The map's summary as plain text: counts, then the action list (what you and your team control)."""
    c = summary_counts(m)
    lines = [
        f"{m.title} ({label(m.variant)}): {c['stages']} stages, {c['touchpoints']} touchpoints, "
        f"{c['moments_of_truth']} moments of truth, {c['pain_points']} pain points",
        f"  at the client's site: {c['at_client_site']} of {c['touchpoints']}; process {c['process']}, outcome {c['outcome']}",
        f"  you or your team control {c['controlled_by_me_or_team']} of {c['touchpoints']} touchpoints",
        "Action list (you or your team control these):",
    ]
    items = action_list(m)
    lines += [f"  - [{i.kind}] {i.stage} / {i.touchpoint} ({label(i.control)}, emotion {signed(i.emotion)}): {i.text}" for i in items] or ["  (none)"]
    return "\n".join(lines)


def touchpoints_frame(m: JourneyMap) -> pd.DataFrame:
    """One row per touchpoint in journey order, with its stage and position (for charts and tables)."""
    rows = []
    for seq, (s, t) in enumerate(m.touchpoints(), 1):
        stage_index = next(i for i, st in enumerate(m.stages) if st.id == s.id)
        rows.append({
            "seq": seq, "stage_index": stage_index, "stage": s.name, "stage_id": s.id, "id": t.id, "name": t.name,
            "element": t.element, "emotion": t.emotion, "moment_of_truth": t.moment_of_truth, "control": label(t.control),
            "location": label(t.location), "channel": label(t.channel), "client_action": t.client_action,
            "frontstage": t.frontstage, "backstage": t.backstage, "support": t.support, "pain_point": t.pain_point,
            "client_actors": ", ".join(t.client_actors),
            "front_actors": ", ".join(a.role for a in t.provider_actors if a.side == "front_line"),
            "back_actors": ", ".join(a.role for a in t.provider_actors if a.side == "back_office"),
        })
    cols = ["seq", "stage_index", "stage", "stage_id", "id", "name", "element", "emotion", "moment_of_truth", "control", "location",
            "channel", "client_action", "frontstage", "backstage", "support", "pain_point", "client_actors", "front_actors", "back_actors"]
    return pd.DataFrame(rows, columns=cols)


def stage_emotions(m: JourneyMap) -> pd.DataFrame:
    """Mean emotion per stage (stages without touchpoints are left out), in stage order."""
    frame = touchpoints_frame(m)
    if frame.empty:
        return pd.DataFrame(columns=["stage_index", "stage", "emotion", "touchpoints"])
    g = frame.groupby(["stage_index", "stage"], sort=True)["emotion"].agg(["mean", "count"]).reset_index()
    return g.rename(columns={"mean": "emotion", "count": "touchpoints"})


@dataclass(frozen=True)
class Change:
    """One difference between two maps (before → after)."""

    kind: str  # added | removed | changed | moved
    stage: str
    touchpoint: str
    detail: str


_COMPARED = ("name", "client_actors", "provider_actors", "channel", "location", "client_action", "frontstage", "backstage",
             "support", "element", "emotion", "pain_point", "opportunity", "moment_of_truth", "control")


def _show(v: object) -> str:
    if isinstance(v, tuple):
        return ", ".join(a.role if isinstance(a, Actor) else str(a) for a in v) or "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return signed(v)
    return label(str(v)) if v else "—"


def compare(before: JourneyMap, after: JourneyMap) -> list[Change]:
    """What changed from one map to another, touchpoints matched by id (a duplicate keeps them)."""
    b = {t.id: (s, t) for s, t in before.touchpoints()}
    a = {t.id: (s, t) for s, t in after.touchpoints()}
    out: list[Change] = []
    for tid, (s, t) in a.items():
        if tid not in b:
            out.append(Change("added", s.name, t.name, f"emotion {signed(t.emotion)}"))
            continue
        bs, bt = b[tid]
        if bs.id != s.id:
            out.append(Change("moved", s.name, t.name, f"from {bs.name}"))
        diffs = [f"{f.replace('_', ' ')}: {_show(getattr(bt, f))} → {_show(getattr(t, f))}" for f in _COMPARED if getattr(bt, f) != getattr(t, f)]
        if diffs:
            out.append(Change("changed", s.name, t.name, "; ".join(diffs)))
    for tid, (s, t) in b.items():
        if tid not in a:
            out.append(Change("removed", s.name, t.name, f"emotion was {signed(t.emotion)}"))
    return out


def compare_frame(maps: list[JourneyMap]) -> pd.DataFrame:
    """Mean emotion per stage name for several maps, one curve each (stage order of the first map)."""
    order: list[str] = []
    for m in maps:
        for s in m.stages:
            if s.name not in order:
                order.append(s.name)
    frames = []
    for n, m in enumerate(maps):
        f = stage_emotions(m)
        f["map"] = f"{n + 1}. {m.title}"
        f["stage_index"] = f["stage"].map(order.index)
        frames.append(f)
    if not frames:
        return pd.DataFrame(columns=["stage_index", "stage", "emotion", "touchpoints", "map"])
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- CSV

COLUMNS = (
    "map_id", "map_title", "map_client", "map_variant", "stage_id", "stage", "touchpoint_id", "touchpoint",
    "client_actors", "provider_actors", "channel", "location", "client_action", "frontstage", "backstage", "support",
    "element", "emotion", "pain_point", "opportunity", "moment_of_truth", "control",
)
_TP_COLUMNS = COLUMNS[6:]
_TEXT_COLUMNS = {"map_title", "map_client", "stage", "touchpoint", "client_actors", "provider_actors", "client_action",
                 "frontstage", "backstage", "support", "pain_point", "opportunity"}
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def _cell_out(col: str, value: str) -> str:
    """Neutralise spreadsheet formulas in free text (a leading ' that import removes again)."""
    return "'" + value if col in _TEXT_COLUMNS and _FORMULA.match(value) else value


def _cell_in(col: str, value: str) -> str:
    return value[1:] if col in _TEXT_COLUMNS and value.startswith("'") and _FORMULA.match(value[1:]) else value


def _actors_out(actors: tuple[Actor, ...]) -> str:
    return "; ".join(f"{'front' if a.side == 'front_line' else 'back'}: {a.role}" for a in actors)


def export_csv(m: JourneyMap) -> str:
    """The map as CSV: one row per touchpoint (a stage without touchpoints gets one row of its own)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    head = [m.id, m.title, m.client, m.variant]
    rows = []
    for s in m.stages:
        if not s.touchpoints:
            rows.append(head + [s.id, s.name] + [""] * len(_TP_COLUMNS))
        for t in s.touchpoints:
            rows.append(head + [s.id, s.name, t.id, t.name, "; ".join(t.client_actors), _actors_out(t.provider_actors), t.channel,
                                t.location, t.client_action, t.frontstage, t.backstage, t.support, t.element, str(t.emotion),
                                t.pain_point, t.opportunity, "yes" if t.moment_of_truth else "no", t.control])
    if not m.stages:
        rows.append(head + [""] * (len(COLUMNS) - 4))
    for row in rows:
        writer.writerow([_cell_out(c, v) for c, v in zip(COLUMNS, row)])
    return buf.getvalue()


class _RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _parse_actors(text: str) -> list[dict]:
    out = []
    for part in filter(None, (_trim(p) for p in text.split(";"))):
        side, sep, role = part.partition(":")
        if not sep or _trim(side).lower() not in _SIDE_PREFIX:
            raise _RowError("provider_actors", f"{part[:40]!r} must look like 'front: Site engineer' or 'back: Planner'")
        if not _trim(role):
            raise _RowError("provider_actors", f"{part[:40]!r} names no role")
        out.append({"role": _trim(role), "side": _SIDE_PREFIX[_trim(side).lower()]})
    return out


def _choice(row: dict, col: str, allowed: tuple[str, ...]) -> str:
    v = _trim(row[col])
    if v not in allowed:
        raise _RowError(col, f"{v[:40]!r} is not one of {', '.join(allowed)}")
    return v


def _touchpoint_from_row(row: dict) -> dict:
    emotion = _trim(row["emotion"])
    if not re.fullmatch(r"[+-]?[0-2]", emotion):
        raise _RowError("emotion", f"{emotion[:20]!r} is not a whole number from -2 to 2")
    mot = _trim(row["moment_of_truth"]).lower()
    if mot not in ("yes", "no", "true", "false", "1", "0", "y", "n", ""):
        raise _RowError("moment_of_truth", f"{mot[:20]!r} is not yes or no")
    data = {
        "name": row["touchpoint"], "client_actors": [r for r in row["client_actors"].split(";")],
        "provider_actors": _parse_actors(row["provider_actors"]), "channel": _choice(row, "channel", CHANNELS),
        "location": _choice(row, "location", LOCATIONS), "client_action": row["client_action"], "frontstage": row["frontstage"],
        "backstage": row["backstage"], "support": row["support"], "element": _choice(row, "element", ELEMENTS),
        "emotion": int(emotion), "pain_point": row["pain_point"], "opportunity": row["opportunity"],
        "moment_of_truth": mot in ("yes", "true", "1", "y"), "control": _choice(row, "control", CONTROLS),
    }
    if _trim(row["touchpoint_id"]):
        data["id"] = _trim(row["touchpoint_id"])
    try:
        return Touchpoint.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "touchpoint"
        col = {"name": "touchpoint", "id": "touchpoint_id"}.get(field, field)
        raise _RowError(col, reason(err)) from exc


def import_csv(data: str | bytes, max_problems: int = 20) -> JourneyMap:
    """Read a map from CSV; any bad row refuses the whole file with every problem named by row and column.

    Rows are numbered as a spreadsheet shows them (the header is row 1). The error carries the
    list of problems in ``exc.problems`` as (row, column, reason).
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse([(0, "file", f"not UTF-8 text (byte {exc.start})")]) from None
    data = data.lstrip("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(data, newline="")))
    except csv.Error as exc:
        raise _refuse([(0, "file", f"not readable as CSV ({exc})")]) from None
    if not rows or not any(_trim(c) for c in rows[0]):
        raise _refuse([(1, "header", "the file is empty; export a map to see the columns")])
    header = [_trim(c) for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    dupes = sorted({c for c in header if header.count(c) > 1})
    problems: list[tuple[int, str, str]] = []
    if missing:
        problems.append((1, "header", f"missing column(s) {', '.join(missing)}"))
    if unknown:
        problems.append((1, "header", f"unknown column(s) {', '.join(u[:30] for u in unknown)}"))
    if dupes:
        problems.append((1, "header", f"column(s) {', '.join(dupes)} appear twice"))
    if problems:
        raise _refuse(problems)
    body = [(n, r) for n, r in enumerate(rows[1:], 2) if any(_trim(c) for c in r)]
    if not body:
        raise _refuse([(2, "map_title", "the file has no rows")])
    if len(body) > MAX_ROWS:
        raise _refuse([(MAX_ROWS + 2, "file", f"more than {MAX_ROWS} rows")])
    map_fields: dict[str, tuple[str, int]] = {}
    stages: dict[str, dict] = {}
    stage_by_name: dict[str, str] = {}
    seen_tp: dict[str, int] = {}
    for n, raw in body:
        if len(raw) != len(header):
            problems.append((n, "file", f"has {len(raw)} cells; the header has {len(header)}"))
            continue
        row = {h: _cell_in(h, v) for h, v in zip(header, raw)}
        try:
            for col in ("map_id", "map_title", "map_client", "map_variant"):
                value = _trim(row[col])
                if col in map_fields and map_fields[col][0] != value:
                    raise _RowError(col, f"{value[:40]!r} differs from row {map_fields[col][1]} ({map_fields[col][0][:40]!r}); one file holds one map")
                map_fields.setdefault(col, (value, n))
            if not _trim(row["map_title"]):
                raise _RowError("map_title", "is empty; every row names the map")
            if _trim(row["map_variant"]) not in VARIANTS + ("",):
                raise _RowError("map_variant", f"{row['map_variant'][:20]!r} is not one of {', '.join(VARIANTS)}")
            sname, sid = _trim(row["stage"]), _trim(row["stage_id"])
            has_tp = any(_trim(row[c]) for c in _TP_COLUMNS)
            if not sname:
                if sid or has_tp:
                    raise _RowError("stage", "is empty; name the stage this touchpoint belongs to")
                continue
            if len(sname) > MAX_NAME:
                raise _RowError("stage", f"is longer than {MAX_NAME} characters")
            if sid and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", sid):
                raise _RowError("stage_id", f"{sid[:40]!r} may hold only letters, digits, - and _")
            key = sid or stage_by_name.get(sname) or new_id("s")
            if key in stages and stages[key]["name"] != sname:
                raise _RowError("stage", f"{sname[:40]!r} differs from the name of stage {key} in row {stages[key]['row']}")
            stage = stages.setdefault(key, {"id": key, "name": sname, "touchpoints": [], "row": n})
            stage_by_name.setdefault(sname, key)
            if not has_tp:
                continue
            if not _trim(row["touchpoint"]):
                raise _RowError("touchpoint", "is empty; every touchpoint needs a name")
            tp = _touchpoint_from_row(row)
            if tp["id"] in seen_tp:
                raise _RowError("touchpoint_id", f"{tp['id']!r} is used in row {seen_tp[tp['id']]} already")
            seen_tp[tp["id"]] = n
            stage["touchpoints"].append(tp)
        except _RowError as exc:
            problems.append((n, exc.column, exc.reason))
        if len(problems) >= max_problems:
            break
    if problems:
        raise _refuse(problems)
    doc = {
        "title": map_fields["map_title"][0], "client": map_fields["map_client"][0],
        "variant": map_fields["map_variant"][0] or "as_is",
        "stages": [{k: v for k, v in s.items() if k != "row"} for s in stages.values()],
    }
    if map_fields["map_id"][0]:
        doc["id"] = map_fields["map_id"][0]
    try:
        return JourneyMap.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        col = {"title": "map_title", "client": "map_client", "id": "map_id"}.get(str(err["loc"][0]), str(err["loc"][0]))
        raise _refuse([(map_fields.get(col, ("", 2))[1] if col in map_fields else 2, col, reason(err))]) from exc


def _refuse(problems: list[tuple[int, str, str]]) -> ImportFormatError:
    parts = [f"row {r}, column {c}: {why}" if r else f"{c}: {why}" for r, c, why in problems]
    exc = ImportFormatError("journey CSV refused, nothing imported: " + "; ".join(parts).replace("\n", " "))
    exc.problems = problems  # type: ignore[attr-defined]
    return exc
