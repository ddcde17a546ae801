-- +goose Up
-- A KPI table adds up, per rep and UTC day, what the CRM tables hold, so
-- that its cost follows reps × days, not the number of deals and
-- activities. Every CRM write (import batch, undo) recomputes the days it
-- touched in the same transaction; a day's row is always the sum of its
-- deals and activities as they are now. A rep's days stay theirs: a team
-- adds up the days of the reps in it when the table is asked for.
--   deals_created, deals_followed_up: deals created that day, and those of
--     them with a follow_up activity linked (by deal id) at any time;
--   deals_won, deals_lost, deals_closed, won_cents, won_cycle_micros: deals
--     closed that day, the won ones' amounts and created-to-closed time;
--   calls, meetings: activities of those kinds that day.
-- No foreign key: the rows are derived, written and deleted with the
-- deals and activities they sum.
CREATE TABLE sales_rep_days (
    owner_id           BIGINT NOT NULL,
    day                DATE NOT NULL,
    deals_created      INTEGER NOT NULL,
    deals_followed_up  INTEGER NOT NULL,
    deals_won          INTEGER NOT NULL,
    deals_lost         INTEGER NOT NULL,
    deals_closed       INTEGER NOT NULL,
    won_cents          BIGINT NOT NULL,
    won_cycle_micros   BIGINT NOT NULL,
    calls              INTEGER NOT NULL,
    meetings           INTEGER NOT NULL,
    PRIMARY KEY (owner_id, day)
);
-- The company's table reads every rep's days of the periods asked.
CREATE INDEX sales_rep_days_day_idx ON sales_rep_days (day);

-- Whether the days were built from the CRM tables as they stood: the first
-- start after this migration builds them once (see sales/rollup), so an
-- install upgraded with CRM data in it gets its history.
CREATE TABLE sales_rep_days_built (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    built_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE sales_rep_days_built;
DROP TABLE sales_rep_days;
