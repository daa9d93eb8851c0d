-- The viewer's own tables. Players are keyed by Player.id() (text), with no foreign key: accounts live elsewhere.

-- Viewer instances alive: each renews its lease on a heartbeat; a crashed instance's presence expires with its lease.
CREATE TABLE viewer_instances (
    instance_id text PRIMARY KEY,
    lease_until timestamptz NOT NULL
);

-- One row per open connection of an owner on their own pet's page, on some instance.
CREATE TABLE pet_presence (
    instance_id   text   NOT NULL,
    connection_id text   NOT NULL,
    pet_id        bigint NOT NULL,
    owner_id      text   NOT NULL,
    PRIMARY KEY (instance_id, connection_id)
);
CREATE INDEX pet_presence_pet ON pet_presence (pet_id);

-- A player's treats: what is left in the refill period it was last touched in (a purse of an older period is full).
CREATE TABLE treat_purses (
    player_id text    PRIMARY KEY,
    treats    integer NOT NULL CHECK (treats >= 0),
    period    bigint  NOT NULL
);

-- Fixed-window rate limits per player and action (feed, treat).
CREATE TABLE player_rate_windows (
    player_id    text   NOT NULL,
    action       text   NOT NULL,
    window_start bigint NOT NULL,
    used         integer NOT NULL,
    PRIMARY KEY (player_id, action)
);
