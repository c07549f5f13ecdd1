"""One file per schema revision, oldest first: 0001 is the schema of workbook 0.1 (before Alembic)."""
