-- +goose Up
-- When a recipient's survey reaches them (their local send time): a round is
-- created up to a day early for zones ahead of the survey's, and must not
-- show as open to anyone before their own time.
ALTER TABLE round_recipients ADD COLUMN opens_at DATETIME;
UPDATE round_recipients SET opens_at = (SELECT scheduled_at FROM rounds WHERE rounds.id = round_recipients.round_id);

-- +goose Down
ALTER TABLE round_recipients DROP COLUMN opens_at;
