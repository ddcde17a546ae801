-- +goose Up
-- One row per person told about a published action plan in Slack: the DM
-- is marked sending, with a random key the post carries in its metadata,
-- before it is posted, so a retry looks for that key in the DM instead of
-- posting twice. It says who was told, never how anyone reacted.
CREATE TABLE action_notices (
    plan_id      INTEGER NOT NULL REFERENCES action_plans (id),
    employee_id  INTEGER NOT NULL REFERENCES employees (id),
    status       TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    send_key     TEXT NOT NULL,
    channel      TEXT NOT NULL DEFAULT '',
    ts           TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, employee_id)
);

-- +goose Down
DROP TABLE action_notices;
