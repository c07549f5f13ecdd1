"""The database's schema history as Alembic revisions (``versions/``), run by ``workbook.store.schema``
on the workbook's own connection: no alembic.ini. A model change comes with a revision here
(tests/test_migrations.py fails when the models and the revisions disagree)."""
