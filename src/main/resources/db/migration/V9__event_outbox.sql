-- Teledrop schema, version 9: the transactional outbox of drop events. A change and its event commit in one
-- transaction; a relay publishes committed rows to Kafka afterwards and deletes them. Written to run unchanged
-- on SQLite and PostgreSQL.
-- seq orders the events. It is taken from event_sequence with one conditional UPDATE, whose row lock is held
-- until the change commits, so seq order is commit order: the relay never sees a smaller seq commit after a
-- larger one it has published already.
CREATE TABLE event_outbox (
    seq         BIGINT       NOT NULL PRIMARY KEY,
    -- The CloudEvents id: consumers de-duplicate by it (the relay publishes at least once).
    event_id    VARCHAR(36)  NOT NULL UNIQUE,
    event_type  VARCHAR(64)  NOT NULL,
    -- The drop's slug: the Kafka key, so one drop's events stay in one partition, in order.
    subject     VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    -- The whole CloudEvent, as published (structured mode, application/cloudevents+json).
    payload     TEXT         NOT NULL
);

CREATE TABLE event_sequence (
    name     VARCHAR(32) NOT NULL PRIMARY KEY,
    next_seq BIGINT      NOT NULL
);
INSERT INTO event_sequence (name, next_seq) VALUES ('outbox', 1);

-- Who publishes: one server at a time holds the relay until held_until (epoch ms) and renews it while it
-- works, so two servers never publish the same rows at once (which would also break the order per drop).
CREATE TABLE event_relay (
    name       VARCHAR(32)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(200),
    held_until BIGINT       NOT NULL
);
INSERT INTO event_relay (name, holder, held_until) VALUES ('kafka', NULL, 0);
