-- Teledrop schema, version 4: the guessing limit of drop passwords, in the database so that it is exact
-- under parallel requests and shared by every server. Written to run unchanged on SQLite and PostgreSQL.
-- One row per drop and client (client '*' counts everyone's attempts at the drop); window_start is epoch
-- milliseconds. The rows go with their drop; rows whose window has passed are purged by the expiry sweep.

CREATE TABLE password_attempts (
    drop_id      VARCHAR(36) NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    client       VARCHAR(64) NOT NULL,
    window_start BIGINT      NOT NULL,
    attempts     INTEGER     NOT NULL CHECK (attempts >= 0),
    CONSTRAINT pk_password_attempts PRIMARY KEY (drop_id, client)
);

CREATE INDEX ix_password_attempts_window_start ON password_attempts (window_start);
