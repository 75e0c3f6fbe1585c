-- Security hardening (issue 17).
--
-- * Failed sign-ins per username, whether or not a user has that name, so a locked name answers the same for both.
--   The directory counts an attempt before it checks the password (so parallel guesses cannot all slip through one
--   free slot) and deletes the row when the password was right. not_before is when the next attempt is allowed;
--   rows are forgotten a while after their last failure.
CREATE TABLE login_attempts (
    username         text        PRIMARY KEY,
    failures         integer     NOT NULL CHECK (failures > 0),
    not_before       timestamptz NOT NULL,
    last_failure_at  timestamptz NOT NULL
);
CREATE INDEX login_attempts_last_failure ON login_attempts (last_failure_at);

-- * Display names are stored in Unicode NFC, so one name has one form.
UPDATE users SET display_name = left(normalize(display_name, NFC), 64) WHERE display_name IS NOT NFC NORMALIZED;
ALTER TABLE users DROP CONSTRAINT users_display_name_check,
    ADD CONSTRAINT users_display_name_check CHECK (length(display_name) BETWEEN 1 AND 64 AND display_name IS NFC NORMALIZED);

-- * Each user's default visibility for transfers and request payments that do not name one. Friends, not public:
--   until now an omitted visibility published the note and both parties on the public feed.
ALTER TABLE users ADD COLUMN default_visibility text NOT NULL DEFAULT 'friends'
    CONSTRAINT users_default_visibility_check CHECK (default_visibility IN ('public', 'friends', 'private'));
