-- +goose Up
-- No per-person participation flag survives a round: who was asked stays
-- (reminders and the closed notice need it), whether they answered does not.
ALTER TABLE round_recipients DROP COLUMN answered;

-- Recipients and respondents per team of a closed round, written at close
-- with every team below the anonymity threshold folded into its nearest
-- ancestor (team 0: the organisation), like responses.team_id and the
-- answer_counts cells of the same round.
CREATE TABLE round_team_counts (
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    team_id      INTEGER NOT NULL,
    recipients   INT NOT NULL CHECK (recipients >= 0),
    respondents  INT NOT NULL CHECK (respondents >= 0),
    PRIMARY KEY (round_id, team_id)
);

-- A closed round is sealed once its cells are folded and counted; rounds
-- closed before this version are sealed by the next closing pass.
ALTER TABLE rounds ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE rounds DROP COLUMN sealed;
DROP TABLE round_team_counts;
ALTER TABLE round_recipients ADD COLUMN answered BOOLEAN NOT NULL DEFAULT 0;
