-- +goose Up
-- One-time sign-in codes sent by `/pulse dashboard`. Only the SHA-256 of a
-- code is kept; a code works once (used_at) and only until expires_at.
CREATE TABLE signin_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id  INTEGER NOT NULL REFERENCES employees (id),
    hash         TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME
);
CREATE INDEX signin_codes_expires_at_idx ON signin_codes (expires_at);

-- +goose Down
DROP TABLE signin_codes;
