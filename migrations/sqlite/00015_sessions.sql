-- +goose Up
-- Dashboard sessions: what a sign-in link turns into. Only the SHA-256 of
-- a session's secret is kept. A session ends at expires_at (absolute) or at
-- idle_until (pushed forward at most hourly while it is used), or when
-- revoked (sign-out, or a change of the person's email or Slack binding).
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id  INTEGER NOT NULL REFERENCES employees (id),
    hash         TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    idle_until   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    revoked_at   DATETIME
);
CREATE INDEX sessions_employee_id_idx ON sessions (employee_id);

-- A token keeps the day it was last used (YYYY-MM-DD), never the time: a
-- time written as someone answers would line up with the answer it came with.
ALTER TABLE api_tokens ADD COLUMN last_used_on TEXT;
UPDATE api_tokens SET last_used_on = substr(last_used_at, 1, 10);
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens ADD COLUMN last_used_at DATETIME;
UPDATE api_tokens SET last_used_at = last_used_on;
ALTER TABLE api_tokens DROP COLUMN last_used_on;
DROP TABLE sessions;
