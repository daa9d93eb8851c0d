-- pet-state carries each pet's events and each partition's ticks (docs/architecture.md): pets keeps a pet's last event
-- (its age and hunger as they were at that event's partition tick), partition_clocks each partition's last tick, and
-- the view pets_now, the read model the viewer reads, derives every pet's state at its partition's current tick.
ALTER TABLE pets ADD COLUMN tick bigint NOT NULL DEFAULT 0; -- the partition tick at which the event holds
ALTER TABLE pets ADD COLUMN partition integer;              -- the pet-state partition the pet lives in

CREATE TABLE partition_clocks (
    partition       integer     PRIMARY KEY,
    partitions      integer     NOT NULL, -- the world's partition count when it ticked
    tick            bigint      NOT NULL, -- a write never lowers it
    ticked_at       timestamptz NOT NULL,
    age_per_tick    integer     NOT NULL, -- the rule numbers in force at that tick
    hunger_per_tick integer     NOT NULL,
    max_hunger      integer     NOT NULL
);

-- TickRule.stateAt in SQL (pet-contract is the rule's home; PetsNowTest holds this view to it): a living pet whose
-- clock is past its event has aged and hungered by the ticks between; a dead pet, or one whose clock has not moved,
-- shows its event as it is.
CREATE VIEW pets_now AS
SELECT p.id, p.owner, p.name, p.species,
       CASE WHEN p.alive AND c.tick > p.tick
            THEN LEAST(2147483647, p.age + (c.tick - p.tick) * c.age_per_tick)
            ELSE p.age END::integer AS age,
       CASE WHEN p.alive AND c.tick > p.tick AND p.hunger < c.max_hunger
            THEN LEAST(c.max_hunger, p.hunger + (c.tick - p.tick) * c.hunger_per_tick)
            ELSE p.hunger END::integer AS hunger,
       p.alive, p.version, p.cause,
       CASE WHEN p.alive AND c.tick > p.tick THEN c.tick ELSE p.tick END AS tick,
       p.changed_at, p.born_at, p.died_at, p.partition
FROM pets p
LEFT JOIN partition_clocks c ON c.partition = p.partition;
