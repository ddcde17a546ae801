-- +goose Up
-- What replicas sharing one database agree on through it.
--
-- periodic_runs: one row per periodic task and period (slot, the period's
-- start). The replica that inserts or takes over the row runs the task;
-- expires_at is its lease, renewed while the task runs, so a replica that
-- died is replaced once it passes; done_at marks the period's run as done.
CREATE TABLE periodic_runs (
    task       TEXT NOT NULL,
    slot       TIMESTAMPTZ NOT NULL,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    done_at    TIMESTAMPTZ,
    PRIMARY KEY (task, slot)
);

-- socket_leases: the Slack Socket Mode sockets of the cluster, one row per
-- slot (0 … PULSE_SLACK_SOCKETS-1). A replica opens a socket only while it
-- holds a slot, renewing expires_at; a slot past expires_at is free.
CREATE TABLE socket_leases (
    slot       INTEGER PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE socket_leases;
DROP TABLE periodic_runs;
