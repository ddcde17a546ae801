-- +goose Up
-- A create sent twice (a retry after a lost reply, a double click) makes
-- one plan: one title per round and group, the organisation counted as
-- group 0.
CREATE UNIQUE INDEX action_plans_once ON action_plans (round_id, COALESCE(team_id, 0), title);

-- +goose Down
DROP INDEX action_plans_once;
