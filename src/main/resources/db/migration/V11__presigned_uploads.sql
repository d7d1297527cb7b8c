-- Teledrop schema, version 11: presigned uploads (issue 20). A presigned upload is a resumable upload whose bytes
-- the client sends straight to S3 through presigned part URLs: the same row, the same reservation of its place in
-- the drop and of the client's quota, the same expiry and sweep (which aborts its multipart upload). These columns
-- mark it: tus and IETF requests never see such an upload, and only the identity that created it may complete or
-- cancel it.
-- SHA-256 (hex) of the creator's identity (its sign-in subject or API key); null for tus/IETF uploads.
ALTER TABLE resumable_uploads ADD COLUMN presigned_owner VARCHAR(64);
-- The SHA-256 (lower-case hex) the client declared, checked when it completes; null if it declared none.
ALTER TABLE resumable_uploads ADD COLUMN expected_sha256 VARCHAR(64);
