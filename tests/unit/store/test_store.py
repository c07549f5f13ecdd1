
import pytest

from workbook.errors import AccessDenied, InvalidAnswer, NotFound, StoreError, StoreUnavailable
from workbook.store import (
    AccessCodeAuthenticator,
    Database,
    answer_history,
    attempts,
    cohort_answers,
    current_answers,
    get_person,
    invite,
    progress,
    reissue_code,
    save_answer,
    start_new_attempt,
)
from workbook.store.models import Answer


def count_answers(db) -> int:
    with db.session() as s:
        return s.query(Answer).count()


def test_code_signs_in_and_is_stored_only_as_a_salted_hash(db, cohort):
    ann = cohort["ident"]["Ann"]
    assert (ann.role, ann.name) == ("trainee", "Ann")
    code = cohort["people"]["Ann"]["code"]
    with db.session() as s:
        rows = s.execute(__import__("sqlalchemy").text("select lookup, salt, digest from access_codes")).all()
    flat = " ".join(" ".join(r) for r in rows)
    secret = code.replace("-", "")[5:]
    assert secret not in flat and code not in flat
    assert len({r[1] for r in rows}) == len(rows)  # a salt per code


def test_code_typing_is_tolerant(db, cohort):
    code = cohort["people"]["Ben"]["code"]
    messy = " " + code.lower().replace("-", " ") + " "
    assert AccessCodeAuthenticator(db).authenticate(messy).name == "Ben"


def test_wrong_code_is_refused_plainly(db, cohort):
    with pytest.raises(AccessDenied, match="not valid"):
        AccessCodeAuthenticator(db).authenticate("AAAAA-BBBBB-CCCCC")
    with pytest.raises(AccessDenied, match="not an access code"):
        AccessCodeAuthenticator(db).authenticate("hello")


def test_reissued_code_voids_the_old_one(db, cohort, admin):
    old = cohort["people"]["Ann"]["code"]
    new = reissue_code(db, admin, cohort["people"]["Ann"]["id"])
    auth = AccessCodeAuthenticator(db)
    assert auth.authenticate(new).name == "Ann"
    with pytest.raises(AccessDenied):
        auth.authenticate(old, source="other")


def test_repeated_wrong_codes_are_slowed_down(db, cohort):
    auth = AccessCodeAuthenticator(db)
    good = cohort["people"]["Cy"]["code"]
    lookup = good[:5]
    for n in range(db.settings.signin_max_failures):
        with pytest.raises(AccessDenied, match="not valid"):
            auth.authenticate(lookup + "-00000-00000", source=f"addr{n}")
    # even the right code for that person is refused for a while now
    with pytest.raises(AccessDenied, match="too many wrong codes"):
        auth.authenticate(good, source="fresh")


def test_answers_are_append_only_and_latest_wins(db, cohort):
    ann = cohort["ident"]["Ann"]
    pid = ann.person_id
    save_answer(db, ann, pid, "m01", "coproduction", "cp1", 2)
    save_answer(db, ann, pid, "m01", "coproduction", "cp1", 4)
    save_answer(db, ann, pid, "m01", "coproduction", "cp2", "dont_know")
    assert current_answers(db, ann, pid, "coproduction") == {"cp1": 4, "cp2": "dont_know"}
    hist = answer_history(db, ann, pid, "coproduction")
    assert [(h[0], h[2]) for h in hist] == [("cp1", 2), ("cp1", 4), ("cp2", "dont_know")]
    assert progress(db, ann, pid) == {"m01": "in_progress"}


def test_retake_keeps_every_attempt(db, cohort):
    ann = cohort["ident"]["Ann"]
    pid = ann.person_id
    save_answer(db, ann, pid, "m01", "coproduction", "cp1", 2)
    assert start_new_attempt(db, ann, pid, "m01", "coproduction") == 2
    save_answer(db, ann, pid, "m01", "coproduction", "cp1", 5)
    all_attempts = attempts(db, ann, pid, "coproduction")
    assert all_attempts[1] == {"cp1": 2} and all_attempts[2] == {"cp1": 5}
    assert current_answers(db, ann, pid, "coproduction") == {"cp1": 5}


@pytest.mark.parametrize("value", [0, 6, 3.5, "4", True, -1])
def test_out_of_range_answer_is_refused_and_nothing_changes(db, cohort, value):
    ann = cohort["ident"]["Ann"]
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 3)
    before = count_answers(db)
    with pytest.raises(InvalidAnswer, match=r"coproduction/cp1: .* out of range; answers are whole numbers 1 to 5"):
        save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", value)
    assert count_answers(db) == before
    assert current_answers(db, ann, ann.person_id, "coproduction") == {"cp1": 3}


def test_unknown_item_and_unknown_person(db, cohort, admin):
    ann = cohort["ident"]["Ann"]
    with pytest.raises(NotFound, match="no item 'zz'"):
        save_answer(db, ann, ann.person_id, "m01", "coproduction", "zz", 3)
    with pytest.raises(NotFound, match="no person with id 9999"):
        get_person(db, admin, 9999)
    with pytest.raises(NotFound, match="no person with id 9999"):
        save_answer(db, admin, 9999, "m01", "coproduction", "cp1", 3)


def test_trainee_cannot_reach_another_trainees_answers(db, cohort):
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    save_answer(db, ben, ben.person_id, "m01", "coproduction", "cp1", 5)
    for call in (
        lambda: current_answers(db, ann, ben.person_id, "coproduction"),
        lambda: answer_history(db, ann, ben.person_id, "coproduction"),
        lambda: attempts(db, ann, ben.person_id, "coproduction"),
        lambda: progress(db, ann, ben.person_id),
        lambda: get_person(db, ann, ben.person_id),
        lambda: save_answer(db, ann, ben.person_id, "m01", "coproduction", "cp1", 1),
        lambda: cohort_answers(db, ann, cohort["id"], "coproduction"),
        lambda: start_new_attempt(db, ann, ben.person_id, "m01", "coproduction"),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert current_answers(db, ben, ben.person_id, "coproduction") == {"cp1": 5}


def test_staff_of_another_cohort_are_refused(db, cohort, admin):
    from workbook.store import create_cohort

    other = create_cohort(db, admin, "Cohort B")
    pid, code = invite(db, admin, other, "Other coach", "coach")
    other_coach = AccessCodeAuthenticator(db).authenticate(code)
    ann = cohort["ident"]["Ann"]
    with pytest.raises(AccessDenied):
        current_answers(db, other_coach, ann.person_id, "coproduction")
    with pytest.raises(AccessDenied):
        cohort_answers(db, other_coach, cohort["id"], "coproduction")
    # the cohort's own coach and HR may read
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 4)
    assert current_answers(db, cohort["ident"]["Coach C"], ann.person_id, "coproduction") == {"cp1": 4}
    assert cohort_answers(db, cohort["ident"]["HR H"], cohort["id"], "coproduction") == {ann.person_id: {"cp1": 4}}


def test_unreachable_database_url_is_one_line_with_password_masked(settings_env):
    url = "postgresql+psycopg://alice:s3cret@127.0.0.1:1/nowhere"
    with pytest.raises(StoreUnavailable) as exc:
        Database(url)
    msg = str(exc.value)
    assert "s3cret" not in msg and "alice:***@127.0.0.1:1/nowhere" in msg and "\n" not in msg


def test_nonsense_database_url(settings_env):
    with pytest.raises(StoreError, match="not a valid SQLAlchemy URL"):
        Database("not a url at all")


def test_a_new_database_is_stamped_at_the_head_revision(db):
    from workbook.store.models import SCHEMA_REVISION

    assert db.schema_state().revision == SCHEMA_REVISION
    Database(db.url)  # reopening an existing database keeps it
    assert db.schema_state().revision == SCHEMA_REVISION
