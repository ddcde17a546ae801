-- +goose Up
-- The team tree as it stood when each round was sent. Results for a round
-- group and suppress by this tree, so moving a team later can neither
-- change old figures nor let "before minus after" isolate a small group.
CREATE TABLE round_teams (
    round_id   BIGINT NOT NULL REFERENCES rounds (id),
    team_id    BIGINT NOT NULL,
    parent_id  BIGINT,
    PRIMARY KEY (round_id, team_id)
);

-- +goose Down
DROP TABLE round_teams;
