-- Runs once when the PostgreSQL volume is created (docker-entrypoint-initdb.d), as the image's
-- superuser (POSTGRES_USER, `postgres`), which nothing else uses. The same shape as
-- `ensureDatabaseRoles` (libs/database/src/app-role.ts), which the tests and the embedded
-- PostgreSQL use:
-- - `pilotage_owner` owns the database (hence schema `public`) and runs the migrations (the
--   one-shot `migrate` service): no superuser, no CREATEROLE, no CREATEDB, no BYPASSRLS. It is a
--   member of `pilotage_tenant` WITH ADMIN OPTION, all the role administration the migrations need.
-- - `pilotage_app` is what the api and the worker's tenant work log in as: owns nothing, may only
--   SET ROLE to `pilotage_tenant`, to which the migrations grant access.
-- - `pilotage_jobs` is the worker's pg-boss login: a member of `pilotage_queue`, to which the
--   migrations grant pg-boss's tables and nothing in `public`.
-- Change the passwords (ALTER ROLE ... PASSWORD) before exposing anything.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_tenant') THEN
    CREATE ROLE pilotage_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_queue') THEN
    CREATE ROLE pilotage_queue NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_owner') THEN
    CREATE ROLE pilotage_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'change-me-owner';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_app') THEN
    CREATE ROLE pilotage_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'change-me-app';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_jobs') THEN
    CREATE ROLE pilotage_jobs LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'change-me-jobs';
  END IF;
END
$$;
ALTER DATABASE pilotage OWNER TO pilotage_owner;
GRANT pilotage_tenant TO pilotage_owner WITH ADMIN OPTION;
GRANT pilotage_tenant TO pilotage_app;
GRANT pilotage_queue TO pilotage_jobs;
GRANT CONNECT ON DATABASE pilotage TO pilotage_app, pilotage_jobs;
GRANT USAGE ON SCHEMA public TO pilotage_app;
