-- +goose Up
-- One-on-ones between a manager and a direct report. Only the two
-- participants ever read a series' meetings, agenda, notes and action items;
-- note bodies are AES-GCM sealed when PULSE_NOTES_KEY is set (encrypted).
CREATE TABLE one_on_one_series (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    manager_id  INTEGER NOT NULL REFERENCES employees (id),
    report_id   INTEGER NOT NULL REFERENCES employees (id),
    cadence     TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (manager_id, report_id)
);
CREATE INDEX one_on_one_series_report_idx ON one_on_one_series (report_id);

CREATE TABLE one_on_one_meetings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id     INTEGER NOT NULL REFERENCES one_on_one_series (id),
    scheduled_at  DATETIME NOT NULL,
    title         TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX one_on_one_meetings_series_idx ON one_on_one_meetings (series_id, scheduled_at);

CREATE TABLE one_on_one_agenda_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   INTEGER NOT NULL REFERENCES employees (id),
    text        TEXT NOT NULL,
    done        BOOLEAN NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX one_on_one_agenda_meeting_idx ON one_on_one_agenda_items (meeting_id, id);

CREATE TABLE one_on_one_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    author_id   INTEGER NOT NULL REFERENCES employees (id),
    visibility  TEXT NOT NULL,
    body        TEXT NOT NULL,
    encrypted   BOOLEAN NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX one_on_one_notes_meeting_idx ON one_on_one_notes (meeting_id, id);

-- An action item sits on one meeting at a time; open items of a completed
-- meeting move to the next one (origin_meeting_id keeps where it was made).
CREATE TABLE one_on_one_action_items (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id          INTEGER NOT NULL REFERENCES one_on_one_series (id),
    meeting_id         INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    origin_meeting_id  INTEGER NOT NULL REFERENCES one_on_one_meetings (id),
    owner_id           INTEGER NOT NULL REFERENCES employees (id),
    text               TEXT NOT NULL,
    due_on             TEXT,
    done               BOOLEAN NOT NULL DEFAULT 0,
    done_at            DATETIME,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX one_on_one_items_meeting_idx ON one_on_one_action_items (meeting_id, id);
CREATE INDEX one_on_one_items_series_idx ON one_on_one_action_items (series_id, done);

-- +goose Down
DROP TABLE one_on_one_action_items;
DROP TABLE one_on_one_notes;
DROP TABLE one_on_one_agenda_items;
DROP TABLE one_on_one_meetings;
DROP TABLE one_on_one_series;
