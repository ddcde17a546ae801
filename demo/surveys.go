package demo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Options is what steps need from the configuration.
type Options struct {
	// Secret is PULSE_SECRET: the pulse step answers through the survey
	// service, which keys the open round's answer hashes with it.
	Secret []byte
}

const (
	// pulseRounds is a year of weekly rounds; the last one is left open.
	pulseRounds = 52
	// pulseSeed fixes every random choice, so every fresh demo is the same.
	pulseSeed = 20240304
	// pulseCloseAfterHours keeps a weekly pulse open until the next one goes
	// out, so a demo started on any day has an open round to answer.
	pulseCloseAfterHours = 7 * 24
)

// pulseCadence sends on Monday at 09:00 London time, the midpoint of a
// company spread from Kuala Lumpur to Los Angeles.
var pulseCadence = cadence.Cadence{Kind: cadence.KindWeekly, Weekday: "monday", Time: "09:00", Timezone: "Europe/London"}

// Choice options of the "what would help" question, in the order of teamMood.wishes.
var pulseWishes = []string{"Clearer priorities", "Fewer meetings", "Better tools", "More recognition", "More realistic targets"}

// pulseStep gives the demo organisation a weekly eNPS pulse with a year of
// answers, given one by one through the survey service so that the rollups,
// participation records and anonymity rules are those of real use.
func pulseStep(secret []byte) Step {
	return Step{Name: "pulse_survey", Load: func(ctx context.Context, tx *gorm.DB, now time.Time) error {
		if len(secret) == 0 {
			return errors.New("demo pulse survey: no secret to key answer hashes with (PULSE_SECRET)")
		}
		return loadPulse(ctx, tx, now, secret)
	}}
}

func loadPulse(ctx context.Context, tx *gorm.DB, now time.Time, secret []byte) error {
	schedule, err := pulseSchedule(now)
	if err != nil {
		return err
	}
	// The service runs on a clock moved through the year, so each round is
	// created, answered and closed at its own time: Answer refuses closed
	// rounds, and closing erases the answer hashes as it would in real use.
	run := &pulseRun{now: now, clock: schedule[0].Add(-4 * 24 * time.Hour)}
	run.svc = survey.NewService(tx, func() time.Time { return run.clock }, secret)
	sv, err := run.svc.CreateSurvey(ctx, pulseSurveyInput())
	if err != nil {
		return fmt.Errorf("demo pulse survey: %w", err)
	}
	if run.gen, err = newPulseGen(ctx, tx, sv, now); err != nil {
		return err
	}
	for i, at := range schedule {
		if err := run.round(ctx, sv.ID, i, at, i == len(schedule)-1); err != nil {
			return fmt.Errorf("demo round of %s: %w", at.Format(time.DateOnly), err)
		}
		if err := analyzeAnswers(tx); err != nil {
			return err
		}
	}
	return seedThreads(ctx, tx, run.svc, sv.ID, now, secret)
}

// analyzeAnswers refreshes PostgreSQL's statistics of the tables a round's
// close reads. The demo writes a year of rounds in one transaction, which
// autovacuum cannot see; without this the planner keeps the estimates of
// empty tables and a later close can pick a plan that takes minutes.
// ANALYZE in a transaction counts that transaction's own rows.
func analyzeAnswers(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("ANALYZE answers, responses, pending_reply_links, round_recipients, answer_counts").Error
}

// pulseRun is the pulse step under way.
type pulseRun struct {
	svc   *survey.Service
	gen   *pulseGen
	now   time.Time // the step's now: the open round has answers up to it
	clock time.Time // the survey service's now
}

// round creates round i at its scheduled time, answers it as its
// recipients would, and closes it unless it is the open one.
func (r *pulseRun) round(ctx context.Context, surveyID int64, i int, at time.Time, open bool) error {
	r.clock = at
	var recipients []survey.Recipient
	round, _, err := r.svc.CreateRound(ctx, surveyID, at, func(_ context.Context, _ *gorm.DB, _ survey.Round, rs []survey.Recipient) error {
		recipients = rs
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range r.gen.week(i, at, recipients) {
		r.clock = at.Add(a.after)
		if open && (!r.clock.Before(r.now) || r.gen.people[a.employeeID].hr) {
			continue // only answers given so far, and HR's is left to the visitor
		}
		if _, err := r.svc.AnswerWith(ctx, round.ID, a.employeeID, a.inputs, survey.AnswerOptions{AllowReplies: a.allowReplies}); err != nil {
			return err
		}
	}
	if open {
		return nil
	}
	r.clock = round.ClosesAt
	_, err = r.svc.CloseRound(ctx, round.ID, nil)
	return err
}

// pulseSchedule returns the scheduled times of the demo's rounds, oldest
// first, the last being the latest Monday send at or before now.
func pulseSchedule(now time.Time) ([]time.Time, error) {
	times := make([]time.Time, pulseRounds)
	before := now
	for i := pulseRounds - 1; i >= 0; i-- {
		at, ok := pulseCadence.Latest(before)
		if !ok {
			return nil, errors.New("demo pulse survey: the cadence has no past occurrence")
		}
		times[i], before = at, at.Add(-time.Minute)
	}
	return times, nil
}

// pulseSurveyInput is the demo's survey: the library's eNPS question and
// three agreement items, a yes/no, a choice and the optional comment.
func pulseSurveyInput() survey.SurveyInput {
	library, _ := survey.Templates("en") // "en" is always in the library
	prompts := map[string]string{}
	for _, t := range library {
		prompts[t.Key] = t.Prompt
	}
	title, audience, closeAfter := "Weekly pulse", survey.Audience{TeamIDs: []int64{}}, pulseCloseAfterHours
	c := pulseCadence
	return survey.SurveyInput{
		Title: &title, Audience: &audience, Cadence: &c, CloseAfterHours: &closeAfter,
		Questions: []survey.QuestionInput{
			{Kind: survey.KindENPS, Prompt: prompts["enps"]},
			{Kind: survey.KindScale, Prompt: prompts["workload"]},
			{Kind: survey.KindScale, Prompt: prompts["recognition"]},
			{Kind: survey.KindScale, Prompt: prompts["manager_support"]},
			{Kind: survey.KindYesNo, Prompt: "Do you see yourself still working here a year from now?"},
			{Kind: survey.KindChoice, Prompt: "What would make the biggest difference to your work right now?", Options: pulseWishes},
			{Kind: survey.KindText, Prompt: prompts["comment"]},
		},
	}
}

// pulsePerson is one employee's steady habits in the demo.
type pulsePerson struct {
	mood   *teamMood
	malay  bool    // writes comments in Malay, mostly
	hr     bool    // the demo's HR admin, who signs in to the open round
	temper float64 // lasting outlook, in standard deviations
	keen   float64 // added to the team's participation rate
	chatty float64 // how readily they leave a comment
	pace   float64 // mean hours to answer after the send
	order  int     // place in the name-ordered staff list, for choices made without the rng
}

// pulseGen invents the answers, the same on every run.
type pulseGen struct {
	rng       *rand.Rand
	people    map[int64]pulsePerson
	questions []survey.Question
}

// pulseAnswer is one person's answers to one round, given after the send.
type pulseAnswer struct {
	employeeID int64
	after      time.Duration
	inputs     []survey.AnswerInput
	// allowReplies lets managers reply to the comment, if any.
	allowReplies bool
}

func newPulseGen(ctx context.Context, tx *gorm.DB, sv survey.Survey, now time.Time) (*pulseGen, error) {
	dir := directory.New(tx, func() time.Time { return now })
	teams, err := dir.Teams(ctx)
	if err != nil {
		return nil, err
	}
	moodOf := map[int64]*teamMood{}
	for _, t := range teams {
		moodOf[t.ID] = moodFor(t.Name)
	}
	staff, err := dir.Employees(ctx, directory.EmployeeFilter{ActiveOnly: true, Scope: directory.EveryoneScope()})
	if err != nil {
		return nil, err
	}
	g := &pulseGen{rng: rand.New(rand.NewPCG(pulseSeed, pulseSeed)), people: map[int64]pulsePerson{}, questions: sv.Questions}
	drawn := make([]pulsePerson, len(staff))
	for i, e := range staff { // ordered by name, so the draws do not depend on ids
		drawn[i] = pulsePerson{mood: moodFor(""), malay: e.Locale == "ms", hr: e.Email == HRAdminEmail, order: i,
			temper: g.rng.NormFloat64(), keen: 0.08 * g.rng.NormFloat64(),
			chatty: 0.4 + 1.6*g.rng.Float64(), pace: 2 + 30*g.rng.Float64()}
		if e.TeamID != nil {
			drawn[i].mood = moodOf[*e.TeamID]
		}
	}
	centreTempers(drawn)
	for i, e := range staff {
		g.people[e.ID] = drawn[i]
	}
	return g, nil
}

// centreTempers makes each team's tempers average zero, so that a small
// team's luck of the draw does not move it away from its story.
func centreTempers(people []pulsePerson) {
	sum, n := map[*teamMood]float64{}, map[*teamMood]float64{}
	for _, p := range people {
		sum[p.mood] += p.temper
		n[p.mood]++
	}
	for i, p := range people {
		people[i].temper -= sum[p.mood] / n[p.mood]
	}
}

// teamWeek is a team's mood in one round.
type teamWeek struct {
	enps   float64    // expected eNPS / 100
	rate   float64    // participation rate
	items  [3]float64 // workload, recognition, manager support, in standard deviations
	wishes []float64
}

// week draws the answers to round i, sent at, from its recipients in their order.
func (g *pulseGen) week(i int, at time.Time, recipients []survey.Recipient) []pulseAnswer {
	t := float64(i) / float64(pulseRounds-1)
	org := 0.03 * g.rng.NormFloat64() // the whole company's good or bad week
	weeks := map[*teamMood]teamWeek{}
	for _, name := range slices.Sorted(maps.Keys(teamMoods)) { // sorted: the draws come in a fixed order
		m := teamMoods[name]
		weeks[m] = m.week(t, org+0.06*g.rng.NormFloat64())
	}
	dip := holidayDip(at)
	used := map[string]bool{} // no comment twice in one round
	var out []pulseAnswer
	for _, r := range recipients {
		p, ok := g.people[r.EmployeeID]
		if !ok || g.rng.Float64() >= clamp(weeks[p.mood].rate+p.keen-dip, 0.05, 0.98) {
			continue
		}
		out = append(out, g.answer(r.EmployeeID, p, weeks[p.mood], t, used)...)
	}
	return out
}

// answer draws one person's answers: mostly the whole survey, sometimes only
// the eNPS tap from the Slack message, now and then a changed mind later.
func (g *pulseGen) answer(id int64, p pulsePerson, w teamWeek, t float64, used map[string]bool) []pulseAnswer {
	v := 0.6*p.temper + 0.8*g.rng.NormFloat64()
	score := enpsScore(normalCDF(v), w.enps)
	after := time.Duration(math.Min(p.pace*g.rng.ExpFloat64(), 110) * float64(time.Hour))
	inputs := []survey.AnswerInput{{QuestionID: g.questions[0].ID, Value: score}}
	if g.rng.Float64() < 0.15 {
		return []pulseAnswer{{employeeID: id, after: after, inputs: inputs}}
	}
	for k, shift := range w.items {
		s := 0.6*v + 0.5*g.rng.NormFloat64() + 1.2*w.enps + shift
		inputs = append(inputs, survey.AnswerInput{QuestionID: g.questions[1+k].ID, Value: likert(normalCDF(s))})
	}
	stay := 0.8*v+0.5*g.rng.NormFloat64()+1.4*w.enps+0.6 > 0
	inputs = append(inputs,
		survey.AnswerInput{QuestionID: g.questions[4].ID, Value: stay},
		survey.AnswerInput{QuestionID: g.questions[5].ID, Value: pulseWishes[g.weighted(w.wishes)]})
	text := g.comment(p, score, t, used)
	if text != "" {
		inputs = append(inputs, survey.AnswerInput{QuestionID: g.questions[6].ID, Value: text})
	}
	// About a third of commenters allow replies; chosen without drawing from
	// rng, so the rest of the demo stays as it was.
	out := []pulseAnswer{{employeeID: id, after: after, inputs: inputs, allowReplies: text != "" && len(text)%3 == 0}}
	if g.rng.Float64() < 0.03 {
		changed := min(max(score+g.rng.IntN(3)-1, 1), 10)
		out = append(out, pulseAnswer{employeeID: id, after: after + 3*time.Hour,
			inputs: []survey.AnswerInput{{QuestionID: g.questions[0].ID, Value: changed}}})
	}
	return out
}

// passiveShare is the share of 7s and 8s in every team; the rest splits
// between promoters and detractors so that the expected eNPS is the team's.
const passiveShare = 0.3

// enpsScore turns a person's mood quantile q into a 1..10 answer.
func enpsScore(q, enps float64) int {
	detractors := clamp((1-passiveShare-enps)/2, 0.02, 1-passiveShare-0.02)
	switch {
	case q < detractors:
		return 1 + int(6*math.Sqrt(q/detractors)) // 5s and 6s more often than 1s
	case q < detractors+passiveShare:
		return 7 + int(2*(q-detractors)/passiveShare)
	}
	return 9 + int(2*(q-detractors-passiveShare)/(1-detractors-passiveShare))
}

// likert turns a quantile into 1..5, leaning to agreement as pulse answers do.
func likert(q float64) int {
	n := 1
	for _, cut := range []float64{0.07, 0.2, 0.45, 0.8} {
		if q >= cut {
			n++
		}
	}
	return n
}

// holidayDip lowers participation in the weeks people are away.
func holidayDip(at time.Time) float64 {
	_, month, day := at.Date()
	switch {
	case month == time.December && day >= 18, month == time.January && day <= 3:
		return 0.15
	case month == time.August:
		return 0.08
	}
	return 0
}

func (g *pulseGen) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func normalCDF(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func lerp(a, b, f float64) float64 { return a + (b-a)*f }
