-- +goose Up
-- A delivery is marked "sending" with a random key before its DM is posted;
-- the post carries the key in its metadata, so a retry after Pulse lost
-- Slack's answer finds the message instead of posting it twice. The key
-- names nobody.
ALTER TABLE deliveries ADD COLUMN send_key TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'not_sent'));

-- +goose Down
UPDATE deliveries SET status = 'pending' WHERE status = 'sending';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'not_sent'));
ALTER TABLE deliveries DROP COLUMN send_key;
