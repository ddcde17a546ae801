-- +goose Up
-- Managers opt in to a weekly Slack digest of their teams' eNPS.
ALTER TABLE employees ADD COLUMN weekly_digest BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE employees DROP COLUMN weekly_digest;
