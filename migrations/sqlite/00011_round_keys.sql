-- +goose Up
-- One random key per open round. Respondent hashes are HMAC(round key,
-- round:employee); the key row is deleted when the round closes (with
-- secure_delete on, and the WAL truncated after), so the hashes can no
-- longer be recomputed, even with PULSE_SECRET.
CREATE TABLE round_keys (
    round_id  INTEGER PRIMARY KEY,
    key       BLOB NOT NULL
);

-- Hashes of rounds still open were made with PULSE_SECRET and cannot be
-- re-keyed: those rounds close now, and their hashes are erased.
UPDATE rounds SET closed_at = MIN(closes_at, strftime('%Y-%m-%d %H:%M:%f', 'now')) WHERE closed_at IS NULL;
UPDATE responses SET respondent_hash = NULL WHERE respondent_hash IS NOT NULL;

-- +goose Down
DROP TABLE round_keys;
