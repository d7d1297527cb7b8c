-- Teledrop schema, version 6: leases, so that a periodic task (the expiry sweep, reconciliation) runs once per
-- interval in a cluster whatever the number of servers. Written to run unchanged on SQLite and PostgreSQL.
-- period is the number of the interval (epoch milliseconds / interval) last taken; a server takes the task
-- for a newer period with one conditional upsert, so of servers racing for a period exactly one wins.
-- holder and taken_at say who ran it last, for operators.

CREATE TABLE leases (
    name     VARCHAR(64)  NOT NULL PRIMARY KEY,
    period   BIGINT       NOT NULL,
    holder   VARCHAR(200) NOT NULL,
    taken_at BIGINT       NOT NULL
);
