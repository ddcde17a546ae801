-- +goose Up
CREATE TABLE anonymity_settings (
    id                       INT PRIMARY KEY CHECK (id = 1),
    min_respondents          INT NOT NULL,
    min_comment_respondents  INT NOT NULL,
    updated_at               DATETIME NOT NULL
);

CREATE TABLE surveys (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    title              TEXT NOT NULL,
    locale             TEXT NOT NULL,
    audience_team_ids  TEXT NOT NULL DEFAULT '[]',
    scale_min          INT NOT NULL DEFAULT 1 CHECK (scale_min IN (0, 1)),
    cadence            TEXT,
    close_after_hours  INT NOT NULL DEFAULT 120,
    reminder_days      TEXT NOT NULL DEFAULT '[2,4]',
    version            INT NOT NULL DEFAULT 1,
    archived           BOOLEAN NOT NULL DEFAULT 0,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);

-- Questions are versioned: editing a survey that has rounds adds a version,
-- and each round keeps the version it was sent with.
CREATE TABLE questions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id  INTEGER NOT NULL REFERENCES surveys (id),
    version    INT NOT NULL,
    position   INT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('enps', 'scale', 'yes_no', 'choice', 'text')),
    prompt     TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '[]',
    UNIQUE (survey_id, version, position)
);

CREATE TABLE rounds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id       INTEGER NOT NULL REFERENCES surveys (id),
    survey_version  INT NOT NULL,
    scheduled_at    DATETIME NOT NULL,
    closes_at       DATETIME NOT NULL,
    closed_at       DATETIME,
    created_at      DATETIME NOT NULL,
    -- A retry, a restart or a second replica can never create a round twice.
    UNIQUE (survey_id, scheduled_at)
);

-- Who was asked and whether they answered. Never joined to responses: it
-- holds no response id, and responses hold no employee id.
CREATE TABLE round_recipients (
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    employee_id  INTEGER NOT NULL REFERENCES employees (id),
    team_id      INTEGER REFERENCES teams (id),
    answered     BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, employee_id)
);

-- Anonymous responses: random ids, a coarse day, and while the round is open
-- a keyed hash (HMAC with a secret kept outside the database) so the same
-- person edits rather than adds. The hash is erased when the round closes.
CREATE TABLE responses (
    id               TEXT PRIMARY KEY,
    round_id         INTEGER NOT NULL REFERENCES rounds (id),
    team_id          INTEGER REFERENCES teams (id),
    answer_day       TEXT NOT NULL,
    respondent_hash  TEXT
);
CREATE UNIQUE INDEX responses_respondent_key ON responses (round_id, respondent_hash) WHERE respondent_hash IS NOT NULL;
CREATE INDEX responses_round_idx ON responses (round_id);

CREATE TABLE answers (
    response_id  TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES questions (id),
    number       INT,
    text         TEXT,
    PRIMARY KEY (response_id, question_id)
);

-- Counts per survey, round (and so day), team, question and value, kept in
-- the same transaction as each answer, so results never scan raw answers.
CREATE TABLE answer_counts (
    survey_id    INTEGER NOT NULL REFERENCES surveys (id),
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    team_id      INTEGER NOT NULL DEFAULT 0,
    question_id  INTEGER NOT NULL REFERENCES questions (id),
    value        TEXT NOT NULL,
    n            INT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (round_id, team_id, question_id, value)
);
CREATE INDEX answer_counts_survey_idx ON answer_counts (survey_id);

-- +goose Down
DROP TABLE answer_counts;
DROP TABLE answers;
DROP TABLE responses;
DROP TABLE round_recipients;
DROP TABLE rounds;
DROP TABLE questions;
DROP TABLE surveys;
DROP TABLE anonymity_settings;
