-- +goose Up
-- "This helps / doesn't help yet" reactions to a published action, kept
-- like survey answers: a row names its reacting person only through a keyed
-- hash (the plan's random key mixed with the server secret), carries no
-- time and no serial id. Once the action is done or dropped the key is
-- deleted (and its table file replaced) and the hashes replaced by random
-- ones, so nobody, holding the files and the secret or not, can tell who
-- reacted how. The key table is UNLOGGED, as round_keys is, so no key ever
-- reaches the WAL; a crash that empties it freezes the reactions of the
-- plans it held (counted once each) rather than let anyone count twice.
--
-- The shown tally moves only when at least k people have reacted or
-- changed their reaction since it last moved, so two looks at the counts
-- never isolate fewer than k people.
CREATE UNLOGGED TABLE action_reaction_keys (
    plan_id  BIGINT PRIMARY KEY,
    key      BYTEA NOT NULL
);
CREATE TABLE action_reactions (
    plan_id     BIGINT NOT NULL REFERENCES action_plans (id),
    voter_hash  TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (value IN ('helps', 'not_yet')),
    pending     BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (plan_id, voter_hash)
);

-- +goose Down
DROP TABLE action_reactions;
DROP TABLE action_reaction_keys;
