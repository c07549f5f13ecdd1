"""What a journey map says (pure): the action list (pain points and moments of truth the person controls),
the counts, the summary text and the frames the charts draw."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbook.i18n import _, _l

from .model import JourneyMap, label

if TYPE_CHECKING:  # pandas only where a frame is built: the store (and every server importing it) does without it
    import pandas as pd


@dataclass(frozen=True)
class ActionItem:
    """A pain point or moment of truth the person (or their team) controls."""

    stage: str
    touchpoint: str
    kind: str  # "pain point" | "moment of truth"
    text: str
    control: str
    emotion: int

    @property
    def kind_text(self) -> str:
        """The kind in the language being rendered."""
        return kind_text(self.kind)


KIND_TEXT = {"pain point": _l("pain point"), "moment of truth": _l("moment of truth")}  # ActionItem.kind as shown


def kind_text(kind: str) -> str:
    """An action item's kind in the language being rendered."""
    return str(KIND_TEXT.get(kind, kind))


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
        _("{title} ({variant}): {stages} stages, {touchpoints} touchpoints, {moments} moments of truth, {pains} pain points").format(
            title=m.title, variant=label(m.variant), stages=c["stages"], touchpoints=c["touchpoints"], moments=c["moments_of_truth"],
            pains=c["pain_points"]),
        "  " + _("at the client's site: {at_site} of {touchpoints}; process {process}, outcome {outcome}").format(
            at_site=c["at_client_site"], touchpoints=c["touchpoints"], process=c["process"], outcome=c["outcome"]),
        "  " + _("you or your team control {controlled} of {touchpoints} touchpoints").format(
            controlled=c["controlled_by_me_or_team"], touchpoints=c["touchpoints"]),
        _("Action list (you or your team control these):"),
    ]
    items = action_list(m)
    lines += ["  - " + _("[{kind}] {stage} / {touchpoint} ({control}, emotion {emotion}): {text}").format(
        kind=kind_text(i.kind), stage=i.stage, touchpoint=i.touchpoint, control=label(i.control), emotion=signed(i.emotion), text=i.text)
        for i in items] or ["  " + _("(none)")]
    return "\n".join(lines)


def touchpoints_frame(m: JourneyMap) -> pd.DataFrame:
    """One row per touchpoint in journey order, with its stage and position (for charts and tables)."""
    import pandas as pd

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
    import pandas as pd

    frame = touchpoints_frame(m)
    if frame.empty:
        return pd.DataFrame(columns=["stage_index", "stage", "emotion", "touchpoints"])
    g = frame.groupby(["stage_index", "stage"], sort=True)["emotion"].agg(["mean", "count"]).reset_index()
    return g.rename(columns={"mean": "emotion", "count": "touchpoints"})
