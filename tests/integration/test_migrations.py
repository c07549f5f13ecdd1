"""Schema revisions (Alembic, workbook/store/migrations): `workbook db upgrade` keeps every row of a
database made by workbook 0.1 (or stamped at the baseline), older databases are refused in one line
until upgraded, and the models agree with the revisions (a model change without a revision fails)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from cli_run import run_cli

from workbook.auth import identity as identity_module
from workbook.auth.identity import LEGACY_COST_LABEL, Identity
from workbook.store import Database, schema
from workbook.store.models import SCHEMA_REVISION, Base

# Each builds the demo cohort's database (over a thousand answers) and runs the revisions on it: seconds of CPU
# a test. They run in `make test` (the slow lane), not in `make check`'s fast lane.
pytestmark = pytest.mark.slow

SKIPPED_TABLES = {"alembic_version", schema.LEGACY_TABLE}  # bookkeeping, not data


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, monkeypatch):
    """An empty database of each kind, named by WORKBOOK_DB_URL for the CLI."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'workbook.db'}"
    else:
        url = request.getfixturevalue("pg").create_database(f"mig_{abs(hash(request.node.name)) % 10**8}")
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    return url


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (bookkeeping tables aside), in primary-key order."""
    engine = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()]
                    for name, t in meta.tables.items() if name not in SKIPPED_TABLES}
    finally:
        engine.dispose()


# 0005: each access code's cost, every earlier hash marked with the one cost of its time
FILLED = {"access_codes": [LEGACY_COST_LABEL]}


def assert_rows_kept(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> None:
    """Every table and row of ``before`` is in ``after``, unchanged; columns added by a later revision come
    last in each row and are empty (0003: people's and raters' ``language``; 0004: answers' ``language``), but for
    those a revision fills (``FILLED``)."""
    assert set(after) == set(before)
    for name, rows in before.items():
        assert len(after[name]) == len(rows), name
        for old, new in zip(rows, after[name]):
            added = len(new) - len(old)
            assert new[: len(old)] == old and list(new[len(old):]) == (FILLED.get(name, [None] * added) if added else []), name


def demo_database(url: str, revision: str, at_head=None) -> None:
    """The demo cohort's database at ``revision``: built at head (``at_head(db)`` then changes it), taken
    back by the revisions' own downgrade."""
    from workbook.store.demo import build_demo

    db = Database(url)
    build_demo(db)
    if at_head is not None:
        at_head(db)
    with db.engine.begin() as conn:
        schema.downgrade(conn, revision)
    db.dispose()


def upgraded_in_place(url: str) -> dict[str, list[tuple]]:
    """Bring the database at ``url`` to head with the revisions alone (no CLI); its rows afterwards."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        schema.upgrade(conn)
    engine.dispose()
    return snapshot(url)


def columns_added(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, int]:
    """How many columns each table with rows gained."""
    return {name: len(after[name][0]) - len(rows[0]) for name, rows in before.items() if rows and len(after[name][0]) > len(rows[0])}


def release_database(url: str, stamped: bool) -> None:
    """A database as workbook 0.1 leaves it, holding the demo cohort's answers; without Alembic's stamp
    (``stamped`` False) it is what 0.1 wrote, its ``schema_version`` marker holding 1."""
    demo_database(url, schema.BASELINE)
    if not stamped:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE alembic_version"))
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("stamped", [False, True], ids=["workbook-0.1", "stamped-baseline"])
def test_db_upgrade_keeps_every_row_of_an_older_database(database_url, tmp_path, monkeypatch, capsys, stamped):
    release_database(database_url, stamped)
    tables = table_names(database_url)
    assert (schema.LEGACY_TABLE in tables) and (("alembic_version" in tables) == stamped)
    before = snapshot(database_url)
    assert len(before["answers"]) > 1000 and before["people"] and before["access_codes"]  # the demo cohort is there
    # an older database is refused in one line that names the command, nothing changed
    assert run_cli(monkeypatch, tmp_path, "cohort", "list") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run `workbook db upgrade`" in err and schema.BASELINE in err
    assert run_cli(monkeypatch, tmp_path, "db", "current") == 0
    assert "run `workbook db upgrade`" in capsys.readouterr().out
    assert snapshot(database_url) == before
    # the upgrade: every row of every table kept, the head revision current, the marker retired
    assert run_cli(monkeypatch, tmp_path, "db", "upgrade") == 0
    assert f"-> {SCHEMA_REVISION}" in capsys.readouterr().out
    assert_rows_kept(before, snapshot(database_url))
    assert schema.LEGACY_TABLE not in table_names(database_url)
    db = Database(database_url)
    assert db.schema_state().revision == SCHEMA_REVISION
    db.dispose()
    assert run_cli(monkeypatch, tmp_path, "cohort", "list") == 0
    assert run_cli(monkeypatch, tmp_path, "db", "upgrade") == 0
    assert "already current" in capsys.readouterr().out


def test_models_and_revisions_agree(database_url, tmp_path, monkeypatch):
    """An empty database brought to head by the revisions alone has exactly the models' schema:
    autogenerate's diff is empty (a model changed without a revision fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert run_cli(monkeypatch, tmp_path, "db", "upgrade") == 0
    if database_url.startswith("sqlite"):  # created by the upgrade: owner-only like every database file
        assert (tmp_path / "workbook.db").stat().st_mode & 0o777 == 0o600
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            stamped = conn.execute(sa.select(schema.VERSION_TABLE.c.version_num)).scalar()
    finally:
        engine.dispose()
    assert diff == []
    assert stamped == SCHEMA_REVISION == schema.known_revisions()[-1]


def test_a_new_database_is_created_at_head(database_url):
    """Opening an empty database creates the models' tables at once, stamped with the head revision."""
    db = Database(database_url)
    assert db.schema_state().revision == SCHEMA_REVISION
    db.dispose()
    assert table_names(database_url) == set(Base.metadata.tables) | {"alembic_version"}


def test_a_revision_this_workbook_does_not_know_is_refused(database_url, tmp_path, monkeypatch, capsys):
    Database(database_url).dispose()
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.VERSION_TABLE).values(version_num="0099_from_the_future"))
    engine.dispose()
    before = snapshot(database_url)
    for argv in (("cohort", "list"), ("db", "upgrade")):
        assert run_cli(monkeypatch, tmp_path, *argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "0099_from_the_future" in err and "newer workbook" in err
    assert snapshot(database_url) == before


def test_the_budget_query_uses_the_new_index(tmp_path, monkeypatch):
    """Revision 0002's reason: SQLite plans the write budget's window (store/quota.py) on
    ix_answers_budget once upgraded, where the baseline scans the person's every row."""
    url = f"sqlite:///{tmp_path / 'workbook.db'}"
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    release_database(url, stamped=True)
    sql = "EXPLAIN QUERY PLAN SELECT count(*) FROM answers WHERE person_id = 3 AND rater_id IS NULL AND created_at >= '2026-01-01'"

    def plan() -> str:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                return " ".join(str(row[-1]) for row in conn.exec_driver_sql(sql))
        finally:
            engine.dispose()

    assert "ix_answers_budget" not in plan()
    assert run_cli(monkeypatch, tmp_path, "db", "upgrade") == 0
    assert "USING INDEX ix_answers_budget (person_id=? AND created_at>?)" in plan()


def test_a_backup_of_a_0_1_database_restores_and_upgrades(database_url, tmp_path, monkeypatch, capsys, request):
    """`workbook backup` works on a database waiting for its upgrade; its backup restored into a new
    database (created at head first) reads as 0.1 again, and `db upgrade` keeps every row."""
    release_database(database_url, stamped=False)
    before = snapshot(database_url)
    dump = tmp_path / "before-upgrade.backup"
    assert run_cli(monkeypatch, tmp_path, "backup", "-o", str(dump)) == 0
    if database_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        target = request.getfixturevalue("pg").create_database(f"restored_{abs(hash(request.node.name)) % 10**8}")
    monkeypatch.setenv("WORKBOOK_DB_URL", target)
    assert run_cli(monkeypatch, tmp_path, "restore", str(dump)) == 0
    capsys.readouterr()
    assert run_cli(monkeypatch, tmp_path, "cohort", "list") == 1
    assert "run `workbook db upgrade`" in capsys.readouterr().err
    assert run_cli(monkeypatch, tmp_path, "db", "upgrade") == 0
    assert_rows_kept(before, snapshot(target))
    assert "ix_answers_budget" in {ix["name"] for ix in sa.inspect(sa.create_engine(target)).get_indexes("answers")}


def test_revision_0003_keeps_every_row(tmp_path):
    """A database at 0002 (the demo cohort) upgraded to 0003 keeps every row; the new columns are empty,
    and a language saved afterwards is read back."""
    from workbook.store import language_of, set_language

    url = f"sqlite:///{tmp_path / 'wb.db'}"
    demo_database(url, "0002_answers_budget")
    before = snapshot(url)
    assert len(before["answers"]) > 1000 and before["people"]
    after = upgraded_in_place(url)
    assert_rows_kept(before, after)
    # 0003: languages; 0004: answers' language; 0005: the codes' cost
    assert columns_added(before, after) == {"people": 1, "raters": 1, "answers": 1, "access_codes": 1}
    db = Database(url)
    pid = after["people"][0][0]
    set_language(db, Identity.admin(), pid, "zh")
    assert language_of(db, Identity.admin(), pid) == "zh"
    db.dispose()


def test_revision_0004_keeps_every_answer_and_records_the_language_of_new_ones(tmp_path):
    """A database at 0003 (the demo cohort, one trainee in French) upgraded to 0004 keeps every row; earlier
    answers have no language recorded, a new save records the person's language."""
    from workbook.store import answer_languages, list_people, save_answer, set_language

    url = f"sqlite:///{tmp_path / 'wb.db'}"
    trainees = []

    def one_in_french(db: Database) -> None:
        trainees.extend(list_people(db, Identity.admin(), 1, role="trainee"))
        set_language(db, Identity.admin(), trainees[0].id, "fr")

    demo_database(url, "0003_languages", at_head=one_in_french)
    ann = trainees[0]
    before = snapshot(url)
    assert len(before["answers"]) > 1000
    after = upgraded_in_place(url)
    assert_rows_kept(before, after)
    assert columns_added(before, after) == {"answers": 1, "access_codes": 1}
    db = Database(url)
    me = Identity(role="trainee", person_id=ann.id, cohort_id=ann.cohort_id, name=ann.name)
    old = answer_languages(db, me, ann.id, "coproduction")
    assert list(old) == [None]
    save_answer(db, me, ann.id, "m01", "coproduction", "cp1", 5)
    assert answer_languages(db, me, ann.id, "coproduction") == {None: old[None] - 1, "fr": 1}
    db.dispose()


def test_revision_0005_keeps_a_code_issued_before_it_and_rehashes_it_at_its_next_sign_in(tmp_path, monkeypatch):
    """A database at 0004 holding a code hashed by the release before 0005 (its one cost, n=2**14) is upgraded: every
    row kept, each code marked with that cost; the code still signs in, checked at its own cost, and is re-hashed
    at today's (``SCRYPT_COST``), after which a sign-in costs one derivation at today's cost."""
    import hashlib

    from workbook.store import AccessCodeAuthenticator, list_people, reissue_code
    from workbook.store.models import AccessCode

    url = f"sqlite:///{tmp_path / 'wb.db'}"
    issued = {}

    def one_code_from_before(db: Database) -> None:
        ann = list_people(db, Identity.admin(), 1, role="trainee")[0]
        with monkeypatch.context() as m:
            m.setattr(identity_module, "_SCRYPT", identity_module.LEGACY_SCRYPT_COST)  # how the release before hashed
            issued.update(person=ann.id, code=reissue_code(db, Identity.admin(), ann.id))

    demo_database(url, "0004_answer_language", at_head=one_code_from_before)
    before = snapshot(url)
    after = upgraded_in_place(url)
    assert_rows_kept(before, after)
    assert columns_added(before, after) == {"access_codes": 1}
    assert {row[-1] for row in after["access_codes"]} == {LEGACY_COST_LABEL}
    lookup, _secret = identity_module.normalise_code(issued["code"])
    db = Database(url)
    seen = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: seen.append(k["n"]) or real(*a, **k))
    auth = AccessCodeAuthenticator(db)
    assert auth.authenticate(issued["code"]).person_id == issued["person"]
    assert seen == [2**14, identity_module.SCRYPT_COST["n"]]
    with db.session() as s:
        assert s.get(AccessCode, lookup).cost == identity_module.cost_label(identity_module.SCRYPT_COST)
    seen.clear()
    assert auth.authenticate(issued["code"]).person_id == issued["person"]
    assert seen == [identity_module.SCRYPT_COST["n"]]
    db.dispose()
