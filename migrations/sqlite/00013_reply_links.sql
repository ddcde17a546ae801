-- +goose Up
-- Replies reach only the comment. While a round is open, consent to replies
-- is a pending link beside the response (sealed to the author, so the author
-- can still edit or withdraw it). When the round closes, Pulse moves each
-- such comment out of its response into replyable_comments under a random
-- id, and links (seals) only that copy to its author; nothing joins the copy
-- to the response, its score or its other answers. comment_links now holds
-- those links only, and Pulse erases them 30 days after the round closed.
CREATE TABLE replyable_comments (
    id           TEXT PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    team_id      INTEGER REFERENCES teams (id),
    question_id  INTEGER NOT NULL REFERENCES questions (id),
    text         TEXT NOT NULL
);
CREATE INDEX replyable_comments_round_idx ON replyable_comments (round_id);

CREATE TABLE pending_reply_links (
    response_id  TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES questions (id),
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    sealed       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX pending_reply_links_round_idx ON pending_reply_links (round_id);

-- Existing links named "<response id>-<question id>" become pending links,
-- sealed as they were; Pulse moves those of closed rounds (and repoints
-- their threads) on its next scheduler tick, which needs the server secret.
INSERT INTO pending_reply_links (response_id, question_id, round_id, sealed)
SELECT substr(comment_id, 1, instr(comment_id, '-') - 1),
       CAST(substr(comment_id, instr(comment_id, '-') + 1) AS INTEGER), round_id, sealed
FROM comment_links;

-- A thread outlives its link: erasing the link must not erase the replies.
-- SQLite cannot drop a foreign key, so the table is rebuilt without it
-- (before comment_links goes, whose cascade would otherwise empty it).
CREATE TABLE comment_replies_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   TEXT NOT NULL,
    from_author  BOOLEAN NOT NULL,
    replier_id   INTEGER REFERENCES employees (id),
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
INSERT INTO comment_replies_new (id, comment_id, from_author, replier_id, body, created_at)
SELECT id, comment_id, from_author, replier_id, body, created_at FROM comment_replies;
DROP TABLE comment_replies;
ALTER TABLE comment_replies_new RENAME TO comment_replies;
CREATE INDEX comment_replies_comment_idx ON comment_replies (comment_id, id);

DROP TABLE comment_links;
CREATE TABLE comment_links (
    comment_id  TEXT PRIMARY KEY REFERENCES replyable_comments (id) ON DELETE CASCADE,
    round_id    INTEGER NOT NULL REFERENCES rounds (id),
    sealed      TEXT NOT NULL
);
CREATE INDEX comment_links_round_idx ON comment_links (round_id);

-- +goose Down
-- A moved comment cannot go back into its response (nothing joins them any
-- more): going down keeps only the links of open rounds, and drops moved
-- comments and the threads that name them.
DROP TABLE comment_links;
CREATE TABLE comment_links (
    comment_id  TEXT PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES rounds (id),
    sealed      TEXT NOT NULL
);
INSERT INTO comment_links (comment_id, round_id, sealed)
SELECT response_id || '-' || question_id, round_id, sealed FROM pending_reply_links;
CREATE TABLE comment_replies_old (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   TEXT NOT NULL REFERENCES comment_links (comment_id) ON DELETE CASCADE,
    from_author  BOOLEAN NOT NULL,
    replier_id   INTEGER REFERENCES employees (id),
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
INSERT INTO comment_replies_old (id, comment_id, from_author, replier_id, body, created_at)
SELECT id, comment_id, from_author, replier_id, body, created_at FROM comment_replies
WHERE comment_id IN (SELECT comment_id FROM comment_links);
DROP TABLE comment_replies;
ALTER TABLE comment_replies_old RENAME TO comment_replies;
CREATE INDEX comment_replies_comment_idx ON comment_replies (comment_id, id);
DROP TABLE pending_reply_links;
DROP TABLE replyable_comments;
