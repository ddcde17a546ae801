package surveybench

import (
	"context"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/survey"
)

// The ceilings: hand-written SQL over the raw answers, one query each, that
// bucket every eNPS answer of the survey's closed rounds. They group by
// round, which for weekly rounds is the week; adding rounds into months or
// quarters, and teams into their parents, is a few thousand additions in Go.

// RoundTeam keys a raw count: a round and the team its responses carry
// (0 for none, where sealing folded a small team into the organisation).
type RoundTeam struct{ Round, Team int64 }

const rawSelect = `SUM(CASE WHEN a.number >= 9 THEN 1 ELSE 0 END) AS promoters,
	SUM(CASE WHEN a.number IN (7, 8) THEN 1 ELSE 0 END) AS passives,
	SUM(CASE WHEN a.number <= 6 THEN 1 ELSE 0 END) AS detractors
	FROM answers a JOIN responses resp ON resp.id = a.response_id JOIN rounds r ON r.id = resp.round_id
	WHERE a.question_id = ? AND r.survey_id = ? AND r.closed_at IS NOT NULL`

type rawRow struct {
	RoundID                         int64
	TeamID                          *int64
	Promoters, Passives, Detractors int
}

func (r rawRow) counts() survey.ENPSCounts {
	return survey.ENPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors}
}

// RawOrg is the organisation's eNPS counts per round.
func RawOrg(ctx context.Context, db *gorm.DB, d Dataset) (map[int64]survey.ENPSCounts, error) {
	var rows []rawRow
	err := db.WithContext(ctx).Raw(`SELECT resp.round_id, `+rawSelect+` GROUP BY resp.round_id`,
		d.QuestionID, d.SurveyID).Scan(&rows).Error
	out := make(map[int64]survey.ENPSCounts, len(rows))
	for _, r := range rows {
		out[r.RoundID] = r.counts()
	}
	return out, err
}

// RawGroup is the eNPS counts per round of the responses carrying one of
// teams (a team and its sub-teams).
func RawGroup(ctx context.Context, db *gorm.DB, d Dataset, teams []int64) (map[int64]survey.ENPSCounts, error) {
	var rows []rawRow
	err := db.WithContext(ctx).Raw(`SELECT resp.round_id, `+rawSelect+` AND resp.team_id IN ? GROUP BY resp.round_id`,
		d.QuestionID, d.SurveyID, teams).Scan(&rows).Error
	out := make(map[int64]survey.ENPSCounts, len(rows))
	for _, r := range rows {
		out[r.RoundID] = r.counts()
	}
	return out, err
}

// RawTeams is the eNPS counts per round and team, all teams in one query.
func RawTeams(ctx context.Context, db *gorm.DB, d Dataset) (map[RoundTeam]survey.ENPSCounts, error) {
	var rows []rawRow
	err := db.WithContext(ctx).Raw(`SELECT resp.round_id, resp.team_id, `+rawSelect+` GROUP BY resp.round_id, resp.team_id`,
		d.QuestionID, d.SurveyID).Scan(&rows).Error
	out := make(map[RoundTeam]survey.ENPSCounts, len(rows))
	for _, r := range rows {
		key := RoundTeam{Round: r.RoundID}
		if r.TeamID != nil {
			key.Team = *r.TeamID
		}
		out[key] = r.counts()
	}
	return out, err
}

// RawRecipients is how many were asked per round and team (their team when
// asked, before any folding), from the participation table.
func RawRecipients(ctx context.Context, db *gorm.DB, d Dataset) (map[RoundTeam]int, error) {
	var rows []struct {
		RoundID int64
		TeamID  *int64
		N       int
	}
	err := db.WithContext(ctx).Raw(`SELECT rr.round_id, rr.team_id, COUNT(*) AS n FROM round_recipients rr
		JOIN rounds r ON r.id = rr.round_id WHERE r.survey_id = ? AND r.closed_at IS NOT NULL
		GROUP BY rr.round_id, rr.team_id`, d.SurveyID).Scan(&rows).Error
	out := make(map[RoundTeam]int, len(rows))
	for _, r := range rows {
		key := RoundTeam{Round: r.RoundID}
		if r.TeamID != nil {
			key.Team = *r.TeamID
		}
		out[key] = r.N
	}
	return out, err
}
