-- Teledrop schema, version 1. Written to run unchanged on SQLite and PostgreSQL.
-- Instants are epoch milliseconds (BIGINT); ids are UUID strings assigned by the application.

CREATE TABLE drops (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    slug              VARCHAR(64)   NOT NULL,
    title             VARCHAR(200),
    description       VARCHAR(2000),
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT,
    max_downloads     INTEGER       CHECK (max_downloads IS NULL OR max_downloads > 0),
    download_count    INTEGER       NOT NULL DEFAULT 0 CHECK (download_count >= 0),
    password_hash     VARCHAR(255),
    delete_token_hash VARCHAR(64)   NOT NULL,
    CONSTRAINT uk_drops_slug UNIQUE (slug)
);

CREATE INDEX ix_drops_expires_at ON drops (expires_at);
CREATE INDEX ix_drops_created_at ON drops (created_at);

CREATE TABLE stored_files (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    drop_id       VARCHAR(36)   NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    position      INTEGER       NOT NULL CHECK (position >= 0),
    original_name VARCHAR(1024) NOT NULL,
    storage_key   VARCHAR(512)  NOT NULL,
    size_bytes    BIGINT        NOT NULL CHECK (size_bytes >= 0),
    content_type  VARCHAR(255)  NOT NULL,
    sha256        VARCHAR(64)   NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT uk_stored_files_storage_key UNIQUE (storage_key),
    CONSTRAINT uk_stored_files_drop_position UNIQUE (drop_id, position)
);

CREATE TABLE api_keys (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    key_hash     VARCHAR(64)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    permissions  VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    CONSTRAINT uk_api_keys_key_hash UNIQUE (key_hash)
);
