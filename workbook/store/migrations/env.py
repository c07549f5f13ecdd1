"""Alembic's environment: migrations run on the connection ``workbook.store.schema`` hands over
(``config.attributes["connection"]``), or on the settings' database for Alembic's own command line."""
from __future__ import annotations

from alembic import context

from workbook.store.models import Base


def run(connection) -> None:
    """Run the requested migrations inside the connection's transaction."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:  # `alembic -x ...` by a developer: the database of WORKBOOK_DB_URL / the data directory
    from workbook.settings import get_settings
    from workbook.store.db import Database

    db = Database(get_settings().database_url, create=False)
    with db.engine.begin() as conn:
        run(conn)
    db.dispose()
