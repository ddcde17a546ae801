-- +goose Up
-- A KPI table adds up, per rep and week or month (UTC; weeks from Monday),
-- what the CRM's deals and activities hold, so that its cost follows reps ×
-- periods, not the number of deals and activities: a quarter is three
-- months. Every CRM write (import batch, undo) takes out what the rows it
-- changes counted and adds what they count now, in its own transaction and
-- under one lock (see sales/rollup). A rep's sums stay theirs: a team adds
-- up the reps in it when a table is asked for.
--   deals_created, deals_followed_up: deals created in the period, and
--     those of them with a follow_up activity linked (by deal id) at any time;
--   deals_won, deals_lost, deals_closed, won_cents, won_cycle_micros: deals
--     closed in the period, the won ones' amounts and created-to-closed time;
--   calls, meetings: activities of those kinds in the period.
-- A row whose deals and activities all moved away stays, all zeros. No
-- foreign key: the rows are derived from the deals and activities.
CREATE TABLE sales_rep_periods (
    grain              TEXT NOT NULL CHECK (grain IN ('week', 'month')),
    owner_id           BIGINT NOT NULL,
    period_start       TEXT NOT NULL, -- YYYY-MM-DD
    deals_created      INTEGER NOT NULL,
    deals_followed_up  INTEGER NOT NULL,
    deals_won          INTEGER NOT NULL,
    deals_lost         INTEGER NOT NULL,
    deals_closed       INTEGER NOT NULL,
    won_cents          BIGINT NOT NULL,
    won_cycle_micros   BIGINT NOT NULL,
    calls              INTEGER NOT NULL,
    meetings           INTEGER NOT NULL,
    PRIMARY KEY (grain, owner_id, period_start)
);
-- The company's table reads every rep's periods in a range.
CREATE INDEX sales_rep_periods_start_idx ON sales_rep_periods (grain, period_start);

-- Whether the sums were built from the CRM tables as they stood: the first
-- start after this migration builds them once, so an install upgraded with
-- CRM data in it gets its history.
CREATE TABLE sales_rep_periods_built (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    built_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE sales_rep_periods_built;
DROP TABLE sales_rep_periods;
