-- +goose Up
-- One random key per open round. Respondent hashes are HMAC(round key,
-- round:employee); the key row is deleted when the round closes, so the
-- hashes left in old pages, dead tuples or the WAL can no longer be
-- recomputed, even with PULSE_SECRET. UNLOGGED: the keys never reach the
-- WAL (and so no replica or WAL archive); a crash empties the table, and
-- a round whose key is gone closes at once.
CREATE UNLOGGED TABLE round_keys (
    round_id  BIGINT PRIMARY KEY,
    key       BYTEA NOT NULL
);

-- Hashes of rounds still open were made with PULSE_SECRET and cannot be
-- re-keyed: those rounds close now, and their hashes are erased.
UPDATE rounds SET closed_at = LEAST(closes_at, now()) WHERE closed_at IS NULL;
UPDATE responses SET respondent_hash = NULL WHERE respondent_hash IS NOT NULL;

-- +goose Down
DROP TABLE round_keys;
