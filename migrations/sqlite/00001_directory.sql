-- +goose Up
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES teams (id),
    manager_id  INTEGER REFERENCES employees (id),
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));
CREATE INDEX teams_parent_id_idx ON teams (parent_id);

CREATE TABLE employees (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    team_id        INTEGER REFERENCES teams (id),
    manager_id     INTEGER REFERENCES employees (id),
    role           TEXT NOT NULL CHECK (role IN ('employee', 'manager', 'hr_admin')),
    slack_user_id  TEXT NOT NULL DEFAULT '',
    timezone       TEXT NOT NULL DEFAULT '',
    locale         TEXT NOT NULL DEFAULT 'en',
    active         BOOLEAN NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX employees_email_key ON employees (lower(email));
CREATE UNIQUE INDEX employees_slack_user_id_key ON employees (slack_user_id) WHERE slack_user_id <> '';
CREATE INDEX employees_team_id_idx ON employees (team_id);
CREATE INDEX employees_manager_id_idx ON employees (manager_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id   INTEGER NOT NULL REFERENCES employees (id),
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    DATETIME NOT NULL,
    last_used_at  DATETIME,
    revoked_at    DATETIME
);
CREATE INDEX api_tokens_employee_id_idx ON api_tokens (employee_id);

CREATE TABLE demo_steps (
    name       TEXT PRIMARY KEY,
    loaded_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE demo_steps;
DROP TABLE api_tokens;
-- SQLite checks foreign keys as DROP TABLE deletes rows: unlink first.
UPDATE teams SET manager_id = NULL;
UPDATE employees SET manager_id = NULL, team_id = NULL;
DROP TABLE employees;
DROP TABLE teams;
