-- Rate windows count the last minutes' actions; they need no crash safety. Unlogged, a count commits without waiting
-- for the write-ahead log: a player's feeds no longer queue one behind another's WAL flush on the same row. After a
-- crash PostgreSQL empties the table, which only forgets who acted in the current window (a limit relaxed once).
ALTER TABLE player_rate_windows SET UNLOGGED;
