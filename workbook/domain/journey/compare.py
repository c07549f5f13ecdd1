"""Two versions of a journey map compared (pure): the touchpoints added, removed, changed or moved (in the language
being rendered), and the frame of both maps' emotions for the comparison chart."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbook.i18n import _, _l

from .model import Actor, JourneyMap, label
from .summary import signed, stage_emotions

if TYPE_CHECKING:  # pandas only where a frame is built: the store (and every server importing it) does without it
    import pandas as pd


@dataclass(frozen=True)
class Change:
    """One difference between two maps (before → after)."""

    kind: str  # added | removed | changed | moved
    stage: str
    touchpoint: str
    detail: str

    @property
    def kind_text(self) -> str:
        """The kind in the language being rendered."""
        return str(CHANGE_TEXT.get(self.kind, self.kind))


CHANGE_TEXT = {"added": _l("added"), "removed": _l("removed"), "changed": _l("changed"), "moved": _l("moved")}
# the compared fields as a change's detail names them
FIELD_TEXT = {
    "name": _l("name"), "client_actors": _l("client actors"), "provider_actors": _l("provider actors"), "channel": _l("channel"),
    "location": _l("location"), "client_action": _l("client action"), "frontstage": _l("frontstage"), "backstage": _l("backstage"),
    "support": _l("support"), "element": _l("element"), "emotion": _l("emotion"), "pain_point": _l("pain point"),
    "opportunity": _l("opportunity"), "moment_of_truth": _l("moment of truth"), "control": _l("control"),
}


_COMPARED = ("name", "client_actors", "provider_actors", "channel", "location", "client_action", "frontstage", "backstage",
             "support", "element", "emotion", "pain_point", "opportunity", "moment_of_truth", "control")


def _show(v: object) -> str:
    if isinstance(v, tuple):
        return ", ".join(a.role if isinstance(a, Actor) else str(a) for a in v) or "—"
    if isinstance(v, bool):
        return _("yes") if v else _("no")
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
            out.append(Change("added", s.name, t.name, _("emotion {emotion}").format(emotion=signed(t.emotion))))
            continue
        bs, bt = b[tid]
        if bs.id != s.id:
            out.append(Change("moved", s.name, t.name, _("from {stage}").format(stage=bs.name)))
        diffs = [_("{field}: {before} → {after}").format(field=FIELD_TEXT[f], before=_show(getattr(bt, f)), after=_show(getattr(t, f))) for f in _COMPARED if getattr(bt, f) != getattr(t, f)]
        if diffs:
            out.append(Change("changed", s.name, t.name, "; ".join(diffs)))
    for tid, (s, t) in b.items():
        if tid not in a:
            out.append(Change("removed", s.name, t.name, _("emotion was {emotion}").format(emotion=signed(t.emotion))))
    return out


def compare_frame(maps: list[JourneyMap]) -> pd.DataFrame:
    """Mean emotion per stage name for several maps, one curve each (stage order of the first map)."""
    import pandas as pd

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
