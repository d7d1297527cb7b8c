-- Counted copies of files in drops with a download limit (issue 14). A copy takes one of the drop's
-- download slots before its first byte and gets a byte budget: the file's size plus a resend allowance
-- smaller than one copy divided by the limit, so all copies together can never add up to one more.
-- Range requests from the same client for the same file draw on an open grant (curl -C -, wget -c, a
-- browser's resume, split downloads) instead of taking another slot.
CREATE TABLE download_grants (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    drop_id     VARCHAR(36) NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
    file_id     VARCHAR(36) NOT NULL REFERENCES stored_files (id) ON DELETE CASCADE,
    -- SHA-256 of the client's address: the grant's owner, without keeping the address itself.
    client      VARCHAR(64) NOT NULL,
    budget      BIGINT      NOT NULL CHECK (budget >= 0),
    bytes_sent  BIGINT      NOT NULL CHECK (bytes_sent >= 0),
    created_at  BIGINT      NOT NULL,
    -- Resumes are accepted until then; set to the finish time once a copy went out whole.
    expires_at  BIGINT      NOT NULL,
    CONSTRAINT ck_download_grants_budget CHECK (bytes_sent <= budget)
);

CREATE INDEX ix_download_grants_lookup ON download_grants (file_id, client);
CREATE INDEX ix_download_grants_drop ON download_grants (drop_id, expires_at);
