-- +goose Up
-- Action plans close the loop on a closed round's results: what a team (or
-- the organisation) heard, what it will do, who owns it and by when, and
-- dated updates as it goes. version guards every edit against a lost update;
-- shown_helps and shown_not_yet are the reaction tally as last shown (see
-- 00026).
CREATE TABLE action_plans (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id      INTEGER NOT NULL REFERENCES surveys (id),
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    team_id        INTEGER REFERENCES teams (id),
    title          TEXT NOT NULL,
    heard          TEXT NOT NULL,
    question_id    INTEGER REFERENCES questions (id),
    comment_ids    TEXT NOT NULL DEFAULT '[]',
    will_do        TEXT NOT NULL,
    owner_id       INTEGER NOT NULL REFERENCES employees (id),
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    version        INTEGER NOT NULL DEFAULT 1,
    shown_helps    INTEGER NOT NULL DEFAULT 0,
    shown_not_yet  INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER NOT NULL REFERENCES employees (id),
    published_at   DATETIME,
    done_at        DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX action_plans_team_idx ON action_plans (team_id, status, id);
CREATE INDEX action_plans_survey_idx ON action_plans (survey_id, round_id, id);
CREATE INDEX action_plans_due_idx ON action_plans (status, due_on);
CREATE TABLE action_updates (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES action_plans (id),
    author_id    INTEGER NOT NULL REFERENCES employees (id),
    text         TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT,
    at           DATETIME NOT NULL
);
CREATE INDEX action_updates_plan_idx ON action_updates (plan_id, id);

-- +goose Down
DROP TABLE action_updates;
DROP TABLE action_plans;
