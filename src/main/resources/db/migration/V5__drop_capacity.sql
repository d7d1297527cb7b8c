-- Capacity of a drop kept on its own row, so that adding files reserves room with one conditional UPDATE
-- (files-per-drop and drop-size limits hold under concurrency) and takes its positions from a counter
-- instead of reading MAX(position). Written to run unchanged on SQLite and PostgreSQL.
--   file_count:    rows in stored_files of this drop
--   total_bytes:   the sum of their size_bytes
--   next_position: the position the next added file gets (never reused, so deletions leave no clash)
ALTER TABLE drops ADD COLUMN file_count INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0);
ALTER TABLE drops ADD COLUMN total_bytes BIGINT NOT NULL DEFAULT 0 CHECK (total_bytes >= 0);
ALTER TABLE drops ADD COLUMN next_position INTEGER NOT NULL DEFAULT 0 CHECK (next_position >= 0);

UPDATE drops SET
    file_count    = (SELECT COUNT(*) FROM stored_files f WHERE f.drop_id = drops.id),
    total_bytes   = (SELECT COALESCE(SUM(f.size_bytes), 0) FROM stored_files f WHERE f.drop_id = drops.id),
    next_position = (SELECT COALESCE(MAX(f.position) + 1, 0) FROM stored_files f WHERE f.drop_id = drops.id);
