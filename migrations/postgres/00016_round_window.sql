-- +goose Up
-- opens_at is a round's first send (its earliest recipient's local time):
-- until then it is "scheduled", not "open". closes_at becomes the end of the
-- last recipient's window. skipped counts people left out because their
-- previous round of the same survey was still open; it names nobody.
ALTER TABLE rounds ADD COLUMN opens_at TIMESTAMPTZ;
ALTER TABLE rounds ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
UPDATE rounds SET opens_at = COALESCE(
    (SELECT MIN(opens_at) FROM round_recipients WHERE round_recipients.round_id = rounds.id), scheduled_at);

-- +goose Down
ALTER TABLE rounds DROP COLUMN skipped;
ALTER TABLE rounds DROP COLUMN opens_at;
