-- Teledrop schema, version 7: resumable uploads (tus 1.0 and IETF Resumable Uploads for HTTP). Written to run
-- unchanged on SQLite and PostgreSQL.
-- An upload takes its file's place in its drop when it is created: one of file_count, its bytes of total_bytes
-- once its length is known, and a position from next_position. So the drop's limits hold for files still
-- arriving, and a file appears at that position only when complete (a row of stored_files). The bytes are
-- staged in the blob store; upload_offset says how many of them are durable, storage_handle where they are.
CREATE TABLE resumable_uploads (
    -- Random, 128 bits: the upload's URL names it, and whoever knows the URL may continue or cancel it.
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    drop_id        VARCHAR(36)   NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    position       INTEGER       NOT NULL CHECK (position >= 0),
    file_name      VARCHAR(1024) NOT NULL,
    -- Null until the client says (tus creation-defer-length, IETF uploads of unknown length).
    upload_length  BIGINT        CHECK (upload_length IS NULL OR upload_length >= 0),
    upload_offset  BIGINT        NOT NULL CHECK (upload_offset >= 0),
    -- Detected from the first bytes once they are in; null before.
    content_type   VARCHAR(255),
    storage_key    VARCHAR(512)  NOT NULL,
    storage_handle VARCHAR(1000) NOT NULL,
    -- SHA-256 of the client's address, for the limit of incomplete uploads per client.
    client         VARCHAR(64)   NOT NULL,
    created_at     BIGINT        NOT NULL,
    expires_at     BIGINT        NOT NULL,
    -- The request appending to it now, and until when its claim holds unless renewed.
    lock_owner     VARCHAR(36),
    lock_until     BIGINT,
    -- The file it became, once complete; the row is kept until expires_at, so a client that missed the last
    -- answer learns that the upload is complete instead of starting over.
    file_id        VARCHAR(36),
    -- tus' Upload-Metadata as the client sent it, without secrets (password, deleteToken): HEAD echoes it.
    metadata       VARCHAR(4000),
    CONSTRAINT uk_resumable_uploads_storage_key UNIQUE (storage_key),
    CONSTRAINT ck_resumable_uploads_offset CHECK (upload_length IS NULL OR upload_offset <= upload_length)
);

CREATE INDEX ix_resumable_uploads_expires_at ON resumable_uploads (expires_at);
CREATE INDEX ix_resumable_uploads_drop ON resumable_uploads (drop_id);

-- Incomplete uploads per client, and in total (client '*'): counters taken by one conditional upsert when an
-- upload is created and given back when it completes, is cancelled or expires, so the limits are exact.
CREATE TABLE resumable_quota (
    client  VARCHAR(64) NOT NULL PRIMARY KEY,
    uploads INTEGER     NOT NULL CHECK (uploads >= 0)
);
