"""A person's results across modules: their scored instruments, read from the store and scored."""
from __future__ import annotations

from dataclasses import dataclass

from workbook.auth.identity import Identity
from workbook.content.catalogue import Instrument, Module, catalogue
from workbook.domain.scoring import DimensionScore, overall, score
from workbook.store import Database, current_answers


@dataclass(frozen=True)
class InstrumentResult:
    module: Module
    instrument: Instrument
    scores: list[DimensionScore]
    answered: int

    @property
    def overall(self) -> float | None:
        return overall(self.scores)


def scored_modules() -> list[tuple[Module, Instrument]]:
    """Every module that has a scored instrument, in curriculum order."""
    cat = catalogue()
    return [(m, cat.instrument(m.instrument)) for m in cat.ordered_modules() if m.instrument and m.instrument in cat.instruments]


def person_results(db: Database, actor: Identity, person_id: int) -> list[InstrumentResult]:
    """The person's scores on every instrument they have answered (current attempt)."""
    out = []
    for module, inst in scored_modules():
        answers = current_answers(db, actor, person_id, inst.id)
        answered = sum(1 for k in answers if k in {i.id for i in inst.items})
        if answered:
            out.append(InstrumentResult(module, inst, score(inst, answers), answered))
    return out


def digest_lines(results: list[InstrumentResult]) -> list[str]:
    """One plain line per instrument: module, title, each scored dimension on 0–100."""
    lines = []
    for r in results:
        dims = ", ".join(f"{s.label} {s.score_100:.0f}/100" if s.score_100 is not None else f"{s.label}: {s.status}" for s in r.scores)
        lines.append(f"Module {r.module.number} · {r.instrument.title}: {dims}")
    return lines
