"""A journey map as CSV (pure): export with formula-looking cells defused, and an import that validates
every row first and returns a map only when all rows are good (a bad file is refused whole, each problem
named by row and column)."""
from __future__ import annotations

import csv
import io
import re

from pydantic import ValidationError

from workbook.errors import ImportFormatError, reason

from .model import _SIDE_PREFIX, CHANNELS, CONTROLS, ELEMENTS, LOCATIONS, MAX_NAME, MAX_ROWS, VARIANTS, Actor, JourneyMap, Touchpoint, _trim, new_id

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


def actors_text(actors: tuple[Actor, ...]) -> str:
    """The provider's actors as one text, side first (``front: engineer; back: planner``), as the CSV and the editor show them."""
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
            rows.append(head + [s.id, s.name, t.id, t.name, "; ".join(t.client_actors), actors_text(t.provider_actors), t.channel,
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
