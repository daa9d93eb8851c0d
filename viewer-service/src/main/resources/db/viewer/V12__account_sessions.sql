-- A session cookie names the account's session generation when it began ("42.3"); raising it (a password change or
-- reset, "log out everywhere") ends every session that began before. Only AccountRepository.endSessions raises it.
ALTER TABLE accounts ADD COLUMN session_generation integer NOT NULL DEFAULT 0;
