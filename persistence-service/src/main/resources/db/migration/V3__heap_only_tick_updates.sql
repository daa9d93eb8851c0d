-- A tick changes age, hunger, version, cause and changed_at. While any index holds one of those columns, every tick
-- update writes a new entry into every index of the table; without them, and with room left in each page, the
-- update is heap-only (HOT): measured 9.7 instead of 16.6 µs of PostgreSQL CPU per row (BENCHMARKS.md, Persistence).
-- The viewer's questions keep their indexes on columns a tick never changes: the oldest pets alive are the earliest
-- born, and the pets that died most recently are ordered by died_at, set once, by the change that killed the pet.
ALTER TABLE pets ADD COLUMN died_at timestamptz; -- event time of the death; NULL while the pet lives
UPDATE pets SET died_at = changed_at WHERE NOT alive;

DROP INDEX pets_alive_age;
DROP INDEX pets_died_changed;
CREATE INDEX pets_alive_born ON pets (born_at) WHERE alive;
CREATE INDEX pets_died ON pets (died_at DESC) WHERE NOT alive;

-- room for the next version of a row on its own page, which is what lets an update stay heap-only
ALTER TABLE pets SET (fillfactor = 70);
