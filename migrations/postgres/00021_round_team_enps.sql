-- +goose Up
-- Each closed round's eNPS buckets per team, beside its recipients and
-- respondents and folded like them, so results read one row per round and
-- team however many answered. Written when the round is sealed; rounds
-- sealed before this version are filled from their answer_counts cells,
-- which sealing folded the same way.
ALTER TABLE round_team_counts ADD COLUMN promoters INT NOT NULL DEFAULT 0 CHECK (promoters >= 0);
ALTER TABLE round_team_counts ADD COLUMN passives INT NOT NULL DEFAULT 0 CHECK (passives >= 0);
ALTER TABLE round_team_counts ADD COLUMN detractors INT NOT NULL DEFAULT 0 CHECK (detractors >= 0);

UPDATE round_team_counts SET
    promoters = (SELECT COALESCE(SUM(c.n), 0) FROM answer_counts c JOIN questions q ON q.id = c.question_id
        WHERE c.round_id = round_team_counts.round_id AND c.team_id = round_team_counts.team_id
          AND q.kind = 'enps' AND CAST(c.value AS INTEGER) >= 9),
    passives = (SELECT COALESCE(SUM(c.n), 0) FROM answer_counts c JOIN questions q ON q.id = c.question_id
        WHERE c.round_id = round_team_counts.round_id AND c.team_id = round_team_counts.team_id
          AND q.kind = 'enps' AND CAST(c.value AS INTEGER) IN (7, 8)),
    detractors = (SELECT COALESCE(SUM(c.n), 0) FROM answer_counts c JOIN questions q ON q.id = c.question_id
        WHERE c.round_id = round_team_counts.round_id AND c.team_id = round_team_counts.team_id
          AND q.kind = 'enps' AND CAST(c.value AS INTEGER) <= 6);

-- +goose Down
ALTER TABLE round_team_counts DROP COLUMN detractors;
ALTER TABLE round_team_counts DROP COLUMN passives;
ALTER TABLE round_team_counts DROP COLUMN promoters;
