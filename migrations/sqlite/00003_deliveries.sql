-- +goose Up
-- When the cadence was last set or resumed: occurrences before it are never
-- sent, so a new or resumed survey does not fire for a time already past.
ALTER TABLE surveys ADD COLUMN cadence_since DATETIME;
UPDATE surveys SET cadence_since = created_at WHERE cadence IS NOT NULL;

-- One delivery of a round's survey message to one recipient. It says whether
-- the DM went out, never whether or how the person answered.
CREATE TABLE deliveries (
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
CREATE INDEX deliveries_status_idx ON deliveries (round_id, status);

-- +goose Down
DROP TABLE deliveries;
ALTER TABLE surveys DROP COLUMN cadence_since;
