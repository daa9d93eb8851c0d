-- What the viewer asks besides a player's pets (pets_owner_born, V1): the oldest pets still alive and the pets
-- that died most recently. Partial indexes: each only holds the rows its question can return.
CREATE INDEX pets_alive_age ON pets (age DESC) WHERE alive;
CREATE INDEX pets_died_changed ON pets (changed_at DESC) WHERE NOT alive;
