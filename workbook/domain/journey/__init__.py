"""Customer-journey and service-blueprint maps (pure): the model (``model``), its operations (``edits``), what a map
says (``summary``), two maps compared (``compare``) and CSV export and import (``csv_io``).

A map is a list of stages; each stage holds touchpoints in order. Every operation returns a new map (the models are
frozen). The public names are importable from here: ``from workbook.domain.journey import JourneyMap, import_csv``.
"""
from __future__ import annotations

from .compare import Change, compare, compare_frame
from .csv_io import COLUMNS, actors_text, export_csv, import_csv
from .edits import (
    add_stage,
    add_touchpoint,
    delete_stage,
    delete_touchpoint,
    duplicate_map,
    edit_map,
    edit_touchpoint,
    move_stage,
    move_touchpoint,
    rename_stage,
)
from .model import (
    CHANNELS,
    CONTROLS,
    DEFAULT_STAGES,
    ELEMENTS,
    LABELS,
    LOCATIONS,
    MAX_NAME,
    MAX_ROWS,
    MAX_TEXT,
    SIDES,
    VARIANTS,
    Actor,
    JourneyMap,
    Stage,
    Touchpoint,
    dump_map,
    label,
    load_map,
    new_id,
    new_map,
)
from .summary import ActionItem, action_list, signed, stage_emotions, summary_counts, summary_text, touchpoints_frame

__all__ = [
    "CHANNELS", "COLUMNS", "CONTROLS", "DEFAULT_STAGES", "ELEMENTS", "LABELS", "LOCATIONS", "MAX_NAME", "MAX_ROWS", "MAX_TEXT",
    "SIDES", "VARIANTS", "ActionItem", "Actor", "Change", "JourneyMap", "Stage", "Touchpoint", "action_list", "actors_text", "add_stage",
    "add_touchpoint", "compare", "compare_frame", "delete_stage", "delete_touchpoint", "dump_map", "duplicate_map", "edit_map",
    "edit_touchpoint", "export_csv", "import_csv", "label", "load_map", "move_stage", "move_touchpoint", "new_id", "new_map",
    "rename_stage", "signed", "stage_emotions", "summary_counts", "summary_text", "touchpoints_frame",
]
