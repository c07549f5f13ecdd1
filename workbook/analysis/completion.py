"""Each module's status for a person (not started, in progress, done), by the rule of
``domain.completion``, from their saved answers read through the store."""
from __future__ import annotations

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.domain.completion import instrument_complete, module_status, required_exercises
from workbook.domain.scoring import score
from workbook.store import Database, answered_exercises, current_answers, progress


def module_statuses(db: Database, identity: Identity, person_id: int) -> dict[str, str]:
    """module id -> "done" or "in_progress" for every module the person has started (others absent)."""
    cat = catalogue()  # the modules' structure is the same in every language
    recorded = progress(db, identity, person_id)
    answered = answered_exercises(db, identity, person_id)
    out: dict[str, str] = {}
    for module in cat.ordered_modules():
        done_ids = answered.get(module.id, set())
        required = required_exercises((e.id, e.type) for e in module.exercises)
        inst_done = None
        if module.instrument:
            # read the questionnaire only when it can decide (the rest is answered): a page of 30 people stays cheap
            inst_done = (module.instrument in done_ids and required <= done_ids
                         and instrument_complete(score(cat.instrument(module.instrument),
                                                       current_answers(db, identity, person_id, module.instrument))))
        status = module_status(required, done_ids - {module.instrument}, inst_done, recorded.get(module.id))
        if status:
            out[module.id] = status
    return out
