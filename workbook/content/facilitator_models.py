"""The schema of ``exercises/facilitator.yaml``: the coach's guide per module (key messages citing
their source, debrief questions tied to live cohort results, misconceptions and answers, the
module's handout canvas) and the reasoning behind the debatable keys of the client statements.

``check`` ties it to the loaded content (modules, instruments, exercises, sources) and to the
statements dataset: a reasoning written for a key the dataset no longer gives fails in one line.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CANVASES = ("servuction_system", "timeline", "profiles", "ipa", "journey", "triangle", "possible", "traits", "layers", "ladder", "grow")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    """A sentence for the coach with its source (a key of sources.yaml, or "workbook")."""

    text: str
    source: str
    where: str = ""


class Debrief(_Strict):
    """A debrief question; ``uses`` names the live cohort result shown under it (an instrument or
    an exercise id of the module), empty for a question without figures."""

    question: str
    uses: str = ""


class Misconception(_Strict):
    claim: str
    answer: str
    source: str = "workbook"
    where: str = ""


class GuideModule(_Strict):
    module: str
    key_messages: list[Cited] = Field(min_length=2)
    debrief: list[Debrief] = Field(min_length=1)
    misconceptions: list[Misconception] = Field(min_length=1)
    canvas: list[Literal[CANVASES]] = Field(min_length=1, max_length=2)  # the handout's canvas(es)


class Reasoning(_Strict):
    id: str = Field(pattern=r"^s[0-9]+$")
    key: Literal["outcome", "process"]  # the key this reasoning defends: must be the dataset's
    why: str
    other_side: str  # the best case for the other key, and how to handle it in the room


class StatementReasoning(_Strict):
    dataset: str
    intro: str = ""
    reasoning: list[Reasoning] = Field(min_length=1)


class FacilitatorDoc(_Strict):
    kind: Literal["facilitator"]
    title: str
    intro: str
    labels: dict[str, str] = {}
    modules: list[GuideModule] = Field(min_length=1)
    statements: StatementReasoning

    @model_validator(mode="after")
    def _unique(self) -> FacilitatorDoc:
        seen: set[str] = set()
        for n, m in enumerate(self.modules):
            if m.module in seen:
                raise ValueError(f"modules[{n}].module: {m.module!r} is listed twice")
            seen.add(m.module)
        ids = [r.id for r in self.statements.reasoning]
        for n, i in enumerate(ids):
            if i in ids[:n]:
                raise ValueError(f"statements.reasoning[{n}].id: {i!r} is listed twice")
        return self

    def check(self, modules: dict, instruments: dict, sources: dict, statements: dict[str, str] | None, where: str) -> None:
        """Raise ValueError (one line) for an unknown module, source, result or statement, or a
        statement whose key in the dataset differs from the one the reasoning defends."""
        for n, gm in enumerate(self.modules):
            place = f"{where}: modules[{n}] ({gm.module})"
            module = modules.get(gm.module)
            if module is None:
                raise ValueError(f"{place}.module: no module {gm.module!r}; known: {', '.join(sorted(modules))}")
            cited = [(f"key_messages[{k}]", c.source) for k, c in enumerate(gm.key_messages)]
            cited += [(f"misconceptions[{k}]", c.source) for k, c in enumerate(gm.misconceptions)]
            for at, src in cited:
                if src != "workbook" and src not in sources:
                    raise ValueError(f"{place}.{at}.source: {src!r} is not in sources.yaml (or 'workbook')")
            ids = ([module.instrument] if module.instrument else []) + [e.id for e in module.exercises]
            for k, d in enumerate(gm.debrief):
                if d.uses and d.uses not in ids:
                    raise ValueError(f"{place}.debrief[{k}].uses: module {gm.module} has no questionnaire or exercise {d.uses!r}; its ids: {', '.join(ids)}")
        if statements is None:
            return
        for n, r in enumerate(self.statements.reasoning):
            if r.id not in statements:
                raise ValueError(f"{where}: statements.reasoning[{n}].id: {r.id!r} is not in datasets/{self.statements.dataset}")
            if statements[r.id] != r.key:
                raise ValueError(
                    f"{where}: statements.reasoning[{n}] ({r.id}): the dataset now keys it {statements[r.id]!r}, the reasoning defends {r.key!r}; rewrite the reasoning for the new key"
                )
