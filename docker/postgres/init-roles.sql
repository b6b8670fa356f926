-- Runs once when the PostgreSQL volume is created (docker-entrypoint-initdb.d).
-- `pilotage` (POSTGRES_USER) owns the schema and runs the migrations.
-- `pilotage_app` is what the api and worker log in as: no superuser, no BYPASSRLS, owns
-- nothing; it may only SET ROLE to `pilotage_tenant`, to which the migrations grant access.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_tenant') THEN
    CREATE ROLE pilotage_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_app') THEN
    CREATE ROLE pilotage_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'change-me-app';
  END IF;
END
$$;
GRANT pilotage_tenant TO pilotage_app;
GRANT CONNECT ON DATABASE pilotage TO pilotage_app;
GRANT USAGE ON SCHEMA public TO pilotage_app;
