-- +goose Up
-- One row per Slack Web API method, shared by every replica: the next free
-- slot of the app's rate for that method, and until when Slack asked the
-- whole app to stop calling it (a 429's Retry-After, or a backoff after 5xx
-- and timeouts). Both are Unix microseconds, so that reserving a slot is one
-- short statement with the same arithmetic on every database.
CREATE TABLE slack_rate_limits (
    method        TEXT PRIMARY KEY,
    next_slot_at  BIGINT NOT NULL DEFAULT 0,
    paused_until  BIGINT NOT NULL DEFAULT 0
);

-- The DM channel with the recipient, kept from the first conversations.open
-- so that retries, reminders, the closing update and the search for a lost
-- post never open it again.
ALTER TABLE deliveries ADD COLUMN dm_channel TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN dm_channel;
DROP TABLE slack_rate_limits;
