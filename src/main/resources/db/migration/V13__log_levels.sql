-- Teledrop schema, version 12: log levels an admin set at runtime (issue 21). One row per area ('teledrop' for all
-- of io.teledrop, else a top-level package such as 'storage'); every server applies the rows within seconds, so a
-- change made on one reaches all. No row: the level configured on each server (teledrop.log.level*) applies.
CREATE TABLE log_levels (
    area       VARCHAR(32)  NOT NULL PRIMARY KEY,
    level      VARCHAR(16)  NOT NULL,
    -- Epoch milliseconds, and who: 'key:<id>', 'user:<subject>' or 'bootstrap-key' (never a secret).
    changed_at BIGINT       NOT NULL,
    changed_by VARCHAR(300) NOT NULL
);
