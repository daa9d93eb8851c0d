-- A session is a row as well as a cookie. The cookie names the row (this table keeps only a SHA-256 of the id it
-- carries), so logging out ends that session on every instance, and a session ends at ends_at however often it is
-- used (its absolute lifetime; longer when the player asked to be kept logged in).
CREATE TABLE account_sessions (
    id         char(64)    PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL
);
CREATE INDEX account_sessions_account ON account_sessions (account_id);
CREATE INDEX account_sessions_ends ON account_sessions (ends_at);
