"""The store: SQLAlchemy models and the only SQL in the workbook; every call scoped to an Identity
(answers, people, notes, plans, journeys, raters, paths, sessions, backup, transfer, roster, demo).

Rule: may import domain, auth, content and the ground modules; never analysis, render, reporting, serving or ui.
This package re-exports its public API: callers import from ``workbook.store``.
"""
from .action_plans import action_plan, cohort_action_plans, delete_action, save_action
from .answers import (
    DONT_KNOW,
    AnswerWriter,
    answer_history,
    answer_languages,
    answers_of_exercises,
    attempts,
    cohort_answer_languages,
    cohort_answers,
    current_answers,
    last_activity,
    progress,
    save_answer,
    set_progress,
    start_new_attempt,
)
from .bulk import save_answers_bulk
from .db import Database, mask_url, open_database, reset_default
from .journeys import (
    can_undo,
    delete_map,
    get_map,
    list_maps,
    person_actions,
    save_map,
)
from .journeys import (
    undo as undo_map,
)
from .languages import (
    chosen_language,
    cohort_language,
    language_of,
    rater_language,
    set_cohort_language,
    set_language,
    set_rater_language,
)
from .notes import GROW_STEPS, Note, delete_note, notes_for, save_note, set_shared
from .paths import answered_exercises, cohort_path, path_of, path_state, set_cohort_path
from .people import (
    AccessCodeAuthenticator,
    PersonInfo,
    close_cohort,
    cohort_by_name,
    create_cohort,
    get_person,
    identity_for_login,
    invite,
    invite_many,
    list_cohorts,
    list_people,
    person_by_name,
    rehearsal_code,
    rehearsal_trainee,
    reissue_code,
    set_known_code,
    set_login,
)
from .raters import (
    IssuedCode,
    RaterInvitation,
    RaterTask,
    RoundInfo,
    approve_raters,
    close_round,
    feedback_responses,
    feedback_rounds,
    invite_rater,
    list_raters,
    nominate_rater,
    pulse_responses,
    rater_answers,
    rater_task,
    remind_cohort_raters,
    remind_raters,
    response_counts,
    revoke_rater,
    save_rater_answer,
    send_rater_codes,
    set_round_closing,
    start_pulse_round,
)

__all__ = [name for name in dir() if not name.startswith("_")]
