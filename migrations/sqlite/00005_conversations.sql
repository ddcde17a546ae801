-- +goose Up
-- A sealed link from a comment to its author, kept only when the author
-- ticked "allow anonymous replies". The employee id inside is encrypted with
-- a key derived from PULSE_SECRET (never stored here), so the table alone
-- names nobody; Pulse opens it only to deliver a reply.
CREATE TABLE comment_links (
    comment_id  TEXT PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES rounds (id),
    sealed      TEXT NOT NULL
);

CREATE TABLE comment_replies (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   TEXT NOT NULL REFERENCES comment_links (comment_id) ON DELETE CASCADE,
    from_author  BOOLEAN NOT NULL,
    replier_id   INTEGER REFERENCES employees (id),
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX comment_replies_comment_idx ON comment_replies (comment_id, id);

-- +goose Down
DROP TABLE comment_replies;
DROP TABLE comment_links;
