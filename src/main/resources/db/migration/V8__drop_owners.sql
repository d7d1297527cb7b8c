-- Teledrop schema, version 8: who created a drop, when a sign-in (OpenID Connect) or an access token said so.
-- owner_subject is the identity provider's subject, which is stable and never reused: a creator may manage
-- the drops bound to it ("My drops"). owner_name is for display only. Both null for anonymous drops.
-- Written to run unchanged on SQLite and PostgreSQL.
ALTER TABLE drops ADD COLUMN owner_subject VARCHAR(255);
ALTER TABLE drops ADD COLUMN owner_name VARCHAR(200);
CREATE INDEX drops_owner_subject ON drops (owner_subject, created_at);
