-- The role every workbook server connects as (WORKBOOK_DB_URL of the single-user servers): it reads and writes
-- the workbook's rows and nothing else: no schema change, no other database, no role, no server-side file or program.
-- Run as the role that owns the workbook's tables (the one that ran `workbook db upgrade`), in the workbook's
-- database:  psql "postgresql://OWNER@HOST/workbook" -f deploy/postgres-role.sql
-- then give it a password:  ALTER ROLE workbook_app PASSWORD '...';  (tests/browser/test_hub.py runs this file)
-- (it may be run again, e.g. for a second database of the same cluster: a role that exists is kept)
DO $$ BEGIN
  CREATE ROLE workbook_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO workbook_app', current_database()); END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;  -- PostgreSQL 15 and later already do
GRANT USAGE ON SCHEMA public TO workbook_app;
-- rows: answers are appended; sessions, sign-in failures, progress and raters' states are updated and deleted
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO workbook_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO workbook_app;
-- the schema's revision is the owner's (workbook db upgrade): read only
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM workbook_app;
-- tables and sequences a later `workbook db upgrade` (run by this owner) creates get the same grants
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO workbook_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO workbook_app;
