// Package surveybench builds large result data sets in Pulse's own schema and
// the hand-written SQL that reads the same figures from the raw answers, so
// benchmarks (and a bench command) can measure results against that ceiling
// and check that the two agree. It writes only through SQL that both
// dialects accept and through survey's own closing, so the rollups it leaves
// are the ones a live service would have; it is never used by the server.
package surveybench

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Size shapes a data set: Departments, each a team with TeamsPerDepartment
// sub-teams, every team with People members, asked in Rounds weekly rounds.
// A person skips a round when (person*31 + round*17) % SkipEvery == 0, so
// SkipEvery 25 answers 96% and a small SkipEvery leaves teams below k.
type Size struct {
	Departments        int
	TeamsPerDepartment int
	People             int
	Rounds             int
	SkipEvery          int
}

// Million is 50 teams × 52 weekly rounds with about a million eNPS answers.
var Million = Size{Departments: 10, TeamsPerDepartment: 4, People: 400, Rounds: 52, SkipEvery: 25}

// Teams is the number of teams the size makes.
func (s Size) Teams() int { return s.Departments * (1 + s.TeamsPerDepartment) }

// Dataset names what Generate made.
type Dataset struct {
	SurveyID    int64
	QuestionID  int64
	Departments []int64 // top-level teams
	Teams       []int64 // every team, departments first in each group
	Leaf        int64   // a team without sub-teams, for one-team benchmarks
	Answers     int64
}

// FirstRound is when the first generated round is scheduled (a Monday).
var FirstRound = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

// Generate writes a survey with one eNPS question and size.Rounds closed
// rounds of answers into db, which must hold no teams yet: the directory,
// recipients, responses, answers and the answer rollup as the answer path
// keeps it, and then closes the rounds through survey, which seals them
// (folds small teams, writes the per-team counts) as in production.
func Generate(ctx context.Context, db *gorm.DB, size Size) (Dataset, error) {
	if size.Teams() == 0 || size.People < 1 || size.Rounds < 1 || size.SkipEvery < 2 {
		return Dataset{}, fmt.Errorf("surveybench: size %+v makes no data", size)
	}
	now := FirstRound.AddDate(0, 0, 7*size.Rounds)
	clock := func() time.Time { return now }
	var d Dataset
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if d, err = makeDirectory(ctx, tx, size, now); err != nil {
			return err
		}
		if err := makeSurvey(ctx, tx, &d, clock); err != nil {
			return err
		}
		for i := range size.Rounds {
			if err := makeRound(tx, &d, size, i); err != nil {
				return err
			}
		}
		return tx.Table("answers").Where("question_id = ?", d.QuestionID).Count(&d.Answers).Error
	})
	if err != nil {
		return d, err
	}
	_, err = survey.NewService(db, clock, []byte("surveybench-secret-not-for-production")).CloseDue(ctx, nil)
	return d, err
}

func makeDirectory(ctx context.Context, tx *gorm.DB, size Size, now time.Time) (Dataset, error) {
	var d Dataset
	for dep := range size.Departments {
		parent := directory.Team{Name: fmt.Sprintf("Department %d", dep+1), Active: true, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&parent).Error; err != nil {
			return d, err
		}
		d.Departments = append(d.Departments, parent.ID)
		d.Teams = append(d.Teams, parent.ID)
		for t := range size.TeamsPerDepartment {
			team := directory.Team{Name: fmt.Sprintf("Team %d.%d", dep+1, t+1), ParentID: &parent.ID, Active: true, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&team).Error; err != nil {
				return d, err
			}
			d.Teams = append(d.Teams, team.ID)
			d.Leaf = team.ID
		}
	}
	if d.Leaf == 0 {
		d.Leaf = d.Teams[len(d.Teams)-1]
	}
	// People per team from a recursive counter, which both dialects run.
	for _, team := range d.Teams {
		err := tx.Exec(`INSERT INTO employees (email, name, team_id, role, created_at, updated_at)
			WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
			SELECT 'p' || ? || '.' || i || '@bench.example.com', 'Person ' || i, ?, 'employee', ?, ? FROM seq`,
			size.People, strconv.FormatInt(team, 10), team, now, now).Error
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

func makeSurvey(ctx context.Context, tx *gorm.DB, d *Dataset, clock func() time.Time) error {
	title := "Weekly pulse"
	sv, err := survey.NewService(tx, clock, nil).CreateSurvey(ctx, survey.SurveyInput{Title: &title,
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "How likely are you to recommend working here?"}}})
	if err != nil {
		return err
	}
	d.SurveyID, d.QuestionID = sv.ID, sv.Questions[0].ID
	return nil
}

// makeRound writes round i as it stands just before closing: its tree,
// recipients, one response per person who answered (no employee id, an id
// that is a counter within the round), the answers, and the rollup cells.
func makeRound(tx *gorm.DB, d *Dataset, size Size, i int) error {
	at := FirstRound.AddDate(0, 0, 7*i)
	closes := at.Add(120 * time.Hour)
	r := survey.Round{SurveyID: d.SurveyID, SurveyVersion: 1, ScheduledAt: at, ClosesAt: closes, CreatedAt: at, OpensAt: &at}
	if err := tx.Create(&r).Error; err != nil {
		return err
	}
	day, id := at.Format(time.DateOnly), strconv.FormatInt(r.ID, 10)
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO round_teams (round_id, team_id, parent_id) SELECT ?, id, parent_id FROM teams`, []any{r.ID}},
		{`INSERT INTO round_recipients (round_id, employee_id, team_id, opens_at) SELECT ?, id, team_id, ? FROM employees WHERE active`, []any{r.ID, at}},
		{`CREATE TEMPORARY TABLE bench_answers AS
			SELECT team_id, ROW_NUMBER() OVER (ORDER BY (employee_id * 7919) % 100003, employee_id) AS seq,
				CASE WHEN 1 + (employee_id * 13 + ? * 7) % 10 + team_id % 3 > 10 THEN 10
					ELSE 1 + (employee_id * 13 + ? * 7) % 10 + team_id % 3 END AS value
			FROM round_recipients WHERE round_id = ? AND (employee_id * 31 + ? * 17) % ? <> 0`, []any{i, i, r.ID, i, size.SkipEvery}},
		{`INSERT INTO responses (id, round_id, team_id, answer_day) SELECT 'b' || ? || '.' || seq, ?, team_id, ? FROM bench_answers`, []any{id, r.ID, day}},
		{`INSERT INTO answers (response_id, question_id, number) SELECT 'b' || ? || '.' || seq, ?, value FROM bench_answers`, []any{id, d.QuestionID}},
		{`INSERT INTO answer_counts (survey_id, round_id, team_id, question_id, value, n)
			SELECT ?, ?, team_id, ?, CAST(value AS TEXT), COUNT(*) FROM bench_answers GROUP BY team_id, value`, []any{d.SurveyID, r.ID, d.QuestionID}},
		{`DROP TABLE bench_answers`, nil},
	} {
		if err := tx.Exec(stmt.sql, stmt.args...).Error; err != nil {
			return fmt.Errorf("surveybench: round %d: %w", i, err)
		}
	}
	return nil
}
