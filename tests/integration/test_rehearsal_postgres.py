"""A preheated kernel's rehearsal on PostgreSQL (#17), connected as a deployment's servers are (the role of
deploy/postgres-role.sql, data only): the rolled-back visit leaves no row, leaves the sequences' gaps harmless,
and the visitor who comes next signs in and saves as usual, with (almost) nothing left to compile."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

pytestmark = pytest.mark.slow  # PostgreSQL


def _rows(db) -> dict[str, int]:
    from workbook.store.models import Base

    with db.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def _visit(db, code: str) -> int:
    """Sign in on Module 1 with ``code`` and answer its first five items as the browser does; returns the
    statements the engine compiled for it."""
    from widget_tools import find

    from workbook.ui.pages.module import module_page
    from workbook.ui.widgets.likert import LikertForm

    page = module_page("m01", db=db)
    page._warm(db)
    before = len(db.engine._compiled_cache)
    page.signin.code._handle_msg({"content": {"data": {"method": "update", "state": {"value": code}}}, "buffers": []})
    assert page.identity is not None, page.signin.status.value
    for j, radio in enumerate(list(find(page, LikertForm)[0].radios.values())[:5]):
        radio._handle_msg({"content": {"data": {"method": "update", "state": {"index": j}}}, "buffers": []})
    return len(db.engine._compiled_cache) - before


def test_a_rehearsal_on_postgres_as_the_servers_role_keeps_nothing(pg, settings_env):
    from workbook.auth.identity import Identity
    from workbook.store import Database, answers_of_exercises, create_cohort, invite

    owner_url = pg.create_database("rehearsal")
    owner = Database(owner_url)
    admin = Identity.admin()
    cohort = create_cohort(owner, admin, "Rehearsal cohort")
    ann, ann_code = invite(owner, admin, cohort, "Ann Trainee")
    kept = _rows(owner)

    app = Database(pg.app_role_url("rehearsal"))  # what a hub user's server connects as
    from workbook.ui.pages.module import module_page

    warmed = module_page("m01", db=app)
    compiled = len(app.engine._compiled_cache)
    warmed._warm(app)  # the preheated kernel's warm-up: rehearses sign-in, saves and redraw, rolled back
    assert len(app.engine._compiled_cache) > compiled + 5, "the rehearsal ran no statements on PostgreSQL"
    assert _rows(owner) == kept, "the rehearsal left rows behind in PostgreSQL"

    compiled_by_visit = _visit(app, ann_code)
    assert compiled_by_visit <= 5, f"the visit after a rehearsal compiled {compiled_by_visit} statements"
    saved = answers_of_exercises(owner, admin, ann, ["coproduction"])["coproduction"]
    assert len(saved) == 5, saved  # the five answers, read back through the tables' owner
    kept_after = _rows(owner)
    assert kept_after["cohorts"] == kept["cohorts"] and kept_after["people"] == kept["people"]
    app.dispose()
    owner.dispose()
