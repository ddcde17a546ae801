package surveybench

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Checked says how many shown cells CrossCheck compared and how many it
// found suppressed (which have no figures to compare).
type Checked struct{ Shown, Suppressed int }

// CrossCheck compares the heatmap by week (the organisation and every
// team; one round per week) with the raw SQL, digit for digit: n, each
// bucket and the eNPS of every shown cell, and for the organisation, which
// no folding can leave, participation and the interval too. A team's raw
// figure sums the raw counts of the team and its sub-teams.
func CrossCheck(ctx context.Context, db *gorm.DB, svc *survey.Service, d Dataset) (Checked, error) {
	var done Checked
	h, err := svc.Heatmap(ctx, d.SurveyID, survey.ResultsQuery{GroupBy: survey.ByWeek}, directory.EveryoneScope())
	if err != nil {
		return done, err
	}
	raw, err := RawTeams(ctx, db, d)
	if err != nil {
		return done, err
	}
	asked, err := RawRecipients(ctx, db, d)
	if err != nil {
		return done, err
	}
	rounds, tree, err := roundsAndTree(ctx, db, d)
	if err != nil {
		return done, err
	}
	if len(rounds) != len(h.Periods) {
		return done, fmt.Errorf("%d rounds but %d weeks", len(rounds), len(h.Periods))
	}
	for _, row := range h.Rows {
		for i, cell := range row.Cells {
			if cell.Suppressed {
				done.Suppressed++
				continue
			}
			want, headcount := expected(raw, asked, rounds[i], row.TeamID, tree)
			if err := compare(cell, want, headcount, row.TeamID == nil); err != nil {
				return done, fmt.Errorf("%s, week %s: %w", row.Name, cell.PeriodStart, err)
			}
			done.Shown++
		}
	}
	return done, nil
}

func roundsAndTree(ctx context.Context, db *gorm.DB, d Dataset) ([]int64, []directory.Team, error) {
	var rounds []int64
	err := db.WithContext(ctx).Table("rounds").Where("survey_id = ? AND closed_at IS NOT NULL", d.SurveyID).
		Order("scheduled_at").Pluck("id", &rounds).Error
	if err != nil {
		return nil, nil, err
	}
	var tree []directory.Team
	return rounds, tree, db.WithContext(ctx).Find(&tree).Error
}

// expected sums the raw counts of a round over a group (nil: everyone).
func expected(raw map[RoundTeam]survey.ENPSCounts, asked map[RoundTeam]int, round int64, team *int64, tree []directory.Team) (survey.ENPSCounts, int) {
	in := func(id int64) bool { return true }
	if team != nil {
		group := map[int64]bool{}
		for _, id := range directory.Subtree(tree, *team) {
			group[id] = true
		}
		in = func(id int64) bool { return group[id] }
	}
	var sum survey.ENPSCounts
	for key, c := range raw {
		if key.Round == round && in(key.Team) {
			sum = sum.Plus(c)
		}
	}
	headcount := 0
	for key, n := range asked {
		if key.Round == round && in(key.Team) {
			headcount += n
		}
	}
	return sum, headcount
}

func compare(cell survey.Point, want survey.ENPSCounts, headcount int, whole bool) error {
	got := survey.ENPSCounts{Promoters: *cell.Promoters, Passives: *cell.Passives, Detractors: *cell.Detractors}
	if got != want || *cell.N != want.N() {
		return fmt.Errorf("rollups say %+v (n %d), raw SQL %+v", got, *cell.N, want)
	}
	score := survey.ScoreENPS(want, headcount)
	if *cell.ENPS != survey.RoundPoints(score.Score) {
		return fmt.Errorf("eNPS %v, raw SQL %v", *cell.ENPS, survey.RoundPoints(score.Score))
	}
	if !whole {
		return nil
	}
	if rate := float64(want.N()) / float64(headcount); cell.Participation == nil || *cell.Participation != rate {
		return fmt.Errorf("participation %v, raw SQL %v", cell.Participation, rate)
	}
	if score.EveryoneAnswered != cell.EveryoneAnswered || !score.EveryoneAnswered && *cell.MoE != survey.RoundPoints(score.MoE) {
		return fmt.Errorf("interval differs from raw SQL's: %v vs %v", cell.MoE, survey.RoundPoints(score.MoE))
	}
	return nil
}
