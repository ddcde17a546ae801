-- +goose Up
-- A delivery is marked "sending" with a random key before its DM is posted;
-- the post carries the key in its metadata, so a retry after Pulse lost
-- Slack's answer finds the message instead of posting it twice. The key
-- names nobody. SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE deliveries_new (
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    employee_id    INTEGER NOT NULL REFERENCES employees (id),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'not_sent')),
    reason         TEXT NOT NULL DEFAULT '',
    due_at         DATETIME NOT NULL,
    slack_channel  TEXT NOT NULL DEFAULT '',
    slack_ts       TEXT NOT NULL DEFAULT '',
    send_key       TEXT NOT NULL DEFAULT '',
    attempts       INT NOT NULL DEFAULT 0,
    sent_at        DATETIME,
    updated_at     DATETIME NOT NULL,
    PRIMARY KEY (round_id, employee_id)
);
INSERT INTO deliveries_new (round_id, employee_id, status, reason, due_at, slack_channel, slack_ts, attempts, sent_at, updated_at)
    SELECT round_id, employee_id, status, reason, due_at, slack_channel, slack_ts, attempts, sent_at, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_status_idx ON deliveries (round_id, status);

-- +goose Down
CREATE TABLE deliveries_old (
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    employee_id    INTEGER NOT NULL REFERENCES employees (id),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'not_sent')),
    reason         TEXT NOT NULL DEFAULT '',
    due_at         DATETIME NOT NULL,
    slack_channel  TEXT NOT NULL DEFAULT '',
    slack_ts       TEXT NOT NULL DEFAULT '',
    attempts       INT NOT NULL DEFAULT 0,
    sent_at        DATETIME,
    updated_at     DATETIME NOT NULL,
    PRIMARY KEY (round_id, employee_id)
);
INSERT INTO deliveries_old (round_id, employee_id, status, reason, due_at, slack_channel, slack_ts, attempts, sent_at, updated_at)
    SELECT round_id, employee_id, CASE status WHEN 'sending' THEN 'pending' ELSE status END,
           reason, due_at, slack_channel, slack_ts, attempts, sent_at, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_old RENAME TO deliveries;
CREATE INDEX deliveries_status_idx ON deliveries (round_id, status);
