-- Every pet's latest state, written by the persistence service from pet-state, read by the viewer.
CREATE TABLE pets (
    id         bigint      PRIMARY KEY,
    owner      text,                 -- the owning player's id; NULL for a pet the world seeded
    name       text        NOT NULL,
    species    text        NOT NULL,
    age        integer     NOT NULL,
    hunger     integer     NOT NULL,
    alive      boolean     NOT NULL,
    version    bigint      NOT NULL, -- the per-pet version of pet-state; a write never lowers it
    cause      text        NOT NULL,
    changed_at timestamptz NOT NULL, -- event time of the change this row holds
    born_at    timestamptz NOT NULL  -- event time of the first change written for this pet
);

-- a player's pets, newest first
CREATE INDEX pets_owner_born ON pets (owner, born_at DESC);
-- the world's newest pets
CREATE INDEX pets_born ON pets (born_at DESC);
