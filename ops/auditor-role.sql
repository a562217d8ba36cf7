-- A read-only role for auditors: enough for `rectiflow verify`, `digest` and `export`, which open
-- the store read-only and never migrate it. Run as the database owner, in the store's database;
-- replace the names (and give the role a password, or a certificate, as your cluster requires).
CREATE ROLE rectiflow_auditor LOGIN;
GRANT CONNECT ON DATABASE rectiflow TO rectiflow_auditor;
GRANT USAGE ON SCHEMA public TO rectiflow_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO rectiflow_auditor;
-- Tables a later migration adds are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO rectiflow_auditor;
-- The identity vault holds complainants' keys: an auditor of the log does not need them.
REVOKE SELECT ON identity_keys FROM rectiflow_auditor;
