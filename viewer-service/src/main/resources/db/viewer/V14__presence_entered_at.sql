-- When an owner came to their pet's page: Active Pets shows the most recently active pets, not every one.
ALTER TABLE pet_presence ADD COLUMN entered_at timestamptz NOT NULL DEFAULT now();
