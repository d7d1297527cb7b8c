-- When reconciliation found a file's blob missing (epoch millis); null while its bytes are there.
ALTER TABLE stored_files ADD COLUMN missing_since BIGINT;
CREATE INDEX ix_stored_files_missing ON stored_files (missing_since);
