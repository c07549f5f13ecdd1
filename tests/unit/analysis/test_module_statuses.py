"""A person's module statuses through the store (analysis/completion.py) on a real SQLite database."""
from workbook.analysis.completion import module_statuses
from workbook.store import save_answer, set_progress


def test_module_one_done_once_questionnaire_map_and_reflection_are_saved(db, cohort):
    ann = cohort["ident"]["Ann"]
    pid = ann.person_id
    assert module_statuses(db, ann, pid) == {}
    # five of the eight co-production items: "presence" has 1 of 4 answered (< 2/3), so not done
    for item in ("cp1", "cp2", "cp3", "cp4", "cp5b"):
        save_answer(db, ann, pid, "m01", "coproduction", item, 3)
    save_answer(db, ann, pid, "m01", "reflection", "text", "What the client does with us.")
    save_answer(db, ann, pid, "m01", "servuction_map", "client", "The site manager")
    assert module_statuses(db, ann, pid) == {"m01": "in_progress"}
    for item in ("cp6", "cp7"):  # presence: 3 of 4 items, two thirds reached
        save_answer(db, ann, pid, "m01", "coproduction", item, 4)
    assert module_statuses(db, ann, pid) == {"m01": "done"}
    save_answer(db, ann, pid, "m01", "reflection", "text", None)  # the reflection cleared: not done any more
    assert module_statuses(db, ann, pid) == {"m01": "in_progress"}


def test_a_coach_sees_the_same_status_and_the_persons_own_mark_counts(db, cohort):
    ben, coach = cohort["ident"]["Ben"], cohort["ident"]["Coach C"]
    pid = ben.person_id
    save_answer(db, ben, pid, "m02", "timeline", "p1.what", "Trade fair")
    assert module_statuses(db, coach, pid) == {"m02": "in_progress"}
    set_progress(db, ben, pid, "m02", "done")
    assert module_statuses(db, coach, pid) == {"m02": "done"}
