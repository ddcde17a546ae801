package survey

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// Grouping of trend points.
const (
	ByRound   = "round"
	ByWeek    = "week"
	ByMonth   = "month"
	ByQuarter = "quarter"
)

// ResultsQuery picks a survey's results: org-wide when TeamID is nil, else
// the team with its sub-teams; rounds scheduled in [From, To).
type ResultsQuery struct {
	GroupBy string
	TeamID  *int64
	From    *time.Time
	To      *time.Time
	// FromDate and ToDate say From and To are calendar dates, meant as
	// midnight in the survey's zone, the zone its periods are counted in.
	FromDate, ToDate bool
}

// Point is one trend point. A suppressed point carries no numbers at all.
type Point struct {
	PeriodStart string   `json:"period_start"`
	RoundID     *int64   `json:"round_id,omitempty"`
	Rounds      int      `json:"rounds"`
	N           *int     `json:"n,omitempty"`
	Promoters   *int     `json:"promoters,omitempty"`
	Passives    *int     `json:"passives,omitempty"`
	Detractors  *int     `json:"detractors,omitempty"`
	ENPS        *float64 `json:"enps,omitempty"`
	// MoE, CILow and CIHigh are the 95% adjusted-Wald margin and interval;
	// they are absent when EveryoneAnswered, because the score is then the
	// group's own and not an estimate.
	MoE               *float64 `json:"moe,omitempty" jsonschema:"description=half-width of the 95% adjusted-Wald interval in points; absent when everyone_answered"`
	CILow             *float64 `json:"ci_low,omitempty" jsonschema:"description=lower end of the 95% adjusted-Wald interval (-100..100); absent when everyone_answered"`
	CIHigh            *float64 `json:"ci_high,omitempty" jsonschema:"description=upper end of the 95% adjusted-Wald interval (-100..100); absent when everyone_answered"`
	EveryoneAnswered  bool     `json:"everyone_answered" jsonschema:"description=every recipient in the group answered: enps is exact and no margin or interval is given"`
	Participation     *float64 `json:"participation,omitempty"`
	Suppressed        bool     `json:"suppressed"`
	SignificantChange bool     `json:"significant_change"`
}

// QuestionResult summarises a non-eNPS question over the shown rounds.
type QuestionResult struct {
	QuestionID int64         `json:"question_id"`
	Kind       string        `json:"kind"`
	Prompt     string        `json:"prompt"`
	Suppressed bool          `json:"suppressed"`
	Scale      *ScaleSummary `json:"scale,omitempty"`
	Shares     *ShareSummary `json:"shares,omitempty"`
	// From and To are the first and last periods (of the query's grouping)
	// the summary counts answers from, over Rounds rounds; empty when it
	// counts none.
	From   string `json:"from,omitempty" jsonschema:"description=period_start of the first period the summary counts"`
	To     string `json:"to,omitempty" jsonschema:"description=period_start of the last period the summary counts"`
	Rounds int    `json:"rounds"`
	// Latest is the last period the group answered the question in, and
	// Previous the one before, each summarised alone (or suppressed).
	Latest   *QuestionPeriod `json:"latest,omitempty"`
	Previous *QuestionPeriod `json:"previous,omitempty"`
}

// QuestionPeriod is a question's summary for one period.
type QuestionPeriod struct {
	PeriodStart string        `json:"period_start"`
	Suppressed  bool          `json:"suppressed"`
	Scale       *ScaleSummary `json:"scale,omitempty"`
	Shares      *ShareSummary `json:"shares,omitempty"`
}

// Results is a survey's trend for one group.
type Results struct {
	SurveyID       int64            `json:"survey_id"`
	TeamID         *int64           `json:"team_id"`
	GroupBy        string           `json:"group_by"`
	MinRespondents int              `json:"min_respondents"`
	Points         []Point          `json:"points"`
	Questions      []QuestionResult `json:"questions"`
}

// CheckAccess refuses a query for a group the viewer may not see: managers
// only their teams (and sub-teams), HR any, org-wide only HR.
func CheckAccess(scope directory.Scope, teamID *int64) error {
	switch {
	case scope.All:
		return nil
	case teamID == nil:
		return fault.Forbidden("org-wide results are for HR; pick one of your teams with team_id")
	case !scope.HasTeam(*teamID):
		return fault.Forbidden("you can see results only for teams you manage")
	}
	return nil
}

func (q ResultsQuery) validate() error {
	var c fault.Checker
	c.Check(slices.Contains([]string{ByRound, ByWeek, ByMonth, ByQuarter}, q.GroupBy), "group_by",
		"must be round, week, month or quarter")
	c.Check(q.From == nil || q.To == nil || q.From.Before(*q.To), "to", "must be after from")
	return c.Err()
}

// readSnapshot runs fn with a service reading in one transaction, on
// PostgreSQL a read-only repeatable-read one, so every count of a result
// (n, participation, the tree) comes from the same moment.
func (s *Service) readSnapshot(ctx context.Context, fn func(ro *Service) error) error {
	var opts []*sql.TxOptions
	if s.db.Dialector.Name() == "postgres" {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(s.WithTx(tx)) }, opts...)
}

// afterRoundsLoaded, when set by a test, runs between reading a result's
// rounds and reading their counts.
var afterRoundsLoaded func()

// Results computes a survey's eNPS trend for the viewer's chosen group from
// the rollup counts, never from raw answers. Rounds where the group is below
// the anonymity threshold, or would be revealed by subtraction, count
// nowhere: their points show as suppressed, and they are left out of wider
// periods so that no difference of two shown figures isolates them.
func (s *Service) Results(ctx context.Context, surveyID int64, q ResultsQuery, scope directory.Scope) (Results, error) {
	if err := q.validate(); err != nil {
		return Results{}, err
	}
	if err := CheckAccess(scope, q.TeamID); err != nil {
		return Results{}, err
	}
	var in *resultInputs
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		in, err = ro.loadResultInputs(ctx, surveyID, q)
		return err
	})
	if err != nil {
		return Results{}, err
	}
	return in.results(surveyID, q)
}

// results scores the loaded inputs for the group q names.
func (in *resultInputs) results(surveyID int64, q ResultsQuery) (Results, error) {
	shown, err := in.shownRounds(q.TeamID)
	if err != nil {
		return Results{}, err
	}
	questions, err := in.questionResults(q.TeamID, q.GroupBy)
	if err != nil {
		return Results{}, err
	}
	return Results{
		SurveyID: surveyID, TeamID: q.TeamID, GroupBy: q.GroupBy, MinRespondents: in.thresholds.MinRespondents,
		Points:    in.points(q, shown),
		Questions: questions,
	}, nil
}

// resultInputs is everything a results query reads, loaded up front.
type resultInputs struct {
	survey      Survey
	zone        *time.Location
	thresholds  Thresholds
	rounds      []Round
	questions   map[int64]Question
	counts      []answerCount              // cells of the scale, yes/no and choice questions
	byRound     map[int64][]answerCount    // the same by round
	cells       map[int64][]teamCount      // round -> its sealed per-team counts, eNPS included
	suppressed  map[int64]Suppression      // round -> the eNPS suppression, worked out once per round
	perQuestion map[[2]int64]Suppression   // (round, question) -> the same for a summarised question
	teams       []directory.Team           // today's tree, for rounds sent before trees were kept
	trees       map[int64][]directory.Team // round -> the tree when it was sent
	teamID      *int64                     // the queried team; nil for org-wide
	groups      map[int64]map[int64]bool   // round -> teams in the queried group
}

type participation struct{ Recipients, Answered int }

func (s *Service) loadResultInputs(ctx context.Context, surveyID int64, q ResultsQuery) (*resultInputs, error) {
	tx := s.db.WithContext(ctx)
	sv, err := loadSurvey(tx, surveyID)
	if err != nil {
		return nil, err
	}
	in := &resultInputs{survey: sv, zone: time.UTC, questions: map[int64]Question{},
		suppressed: map[int64]Suppression{}, perQuestion: map[[2]int64]Suppression{}}
	if sv.Cadence != nil {
		if loc, err := time.LoadLocation(sv.Cadence.Timezone); err == nil {
			in.zone = loc
		}
	}
	if in.thresholds, err = s.Thresholds(ctx); err != nil {
		return nil, err
	}
	if in.teams, err = directory.New(tx, s.now).Teams(ctx); err != nil {
		return nil, err
	}
	if q.TeamID != nil && !slices.ContainsFunc(in.teams, func(t directory.Team) bool { return t.ID == *q.TeamID }) {
		return nil, fault.NotFound("team")
	}
	in.teamID = q.TeamID
	// Only sealed rounds have results: an open round's figures would change
	// as each person answers, and two reads would tell who answered what.
	rounds := tx.Where("survey_id = ? AND closed_at IS NOT NULL AND sealed", surveyID).Order("scheduled_at, id")
	if q.From != nil {
		rounds = rounds.Where("scheduled_at >= ?", in.bound(*q.From, q.FromDate))
	}
	if q.To != nil {
		rounds = rounds.Where("scheduled_at < ?", in.bound(*q.To, q.ToDate))
	}
	if err := rounds.Find(&in.rounds).Error; err != nil {
		return nil, err
	}
	if afterRoundsLoaded != nil {
		afterRoundsLoaded()
	}
	if err := in.loadTrees(tx); err != nil {
		return nil, err
	}
	return in, in.loadCounts(tx, surveyID)
}

func (in *resultInputs) loadCounts(tx *gorm.DB, surveyID int64) error {
	var qs []Question
	if err := tx.Where("survey_id = ?", surveyID).Find(&qs).Error; err != nil {
		return err
	}
	var summarised []int64
	for _, q := range qs {
		in.questions[q.ID] = q
		if q.Kind != KindENPS && q.Kind != KindText {
			summarised = append(summarised, q.ID)
		}
	}
	ids := make([]int64, len(in.rounds))
	for i, r := range in.rounds {
		ids[i] = r.ID
	}
	in.byRound, in.cells = map[int64][]answerCount{}, map[int64][]teamCount{}
	if len(ids) == 0 {
		return nil
	}
	var cells []teamCount
	if err := tx.Where("round_id IN ?", ids).Find(&cells).Error; err != nil {
		return err
	}
	for _, c := range cells {
		in.cells[c.RoundID] = append(in.cells[c.RoundID], c)
	}
	// eNPS comes from the per-team counts alone; only the other questions'
	// summaries need their value cells.
	if len(summarised) == 0 {
		return nil
	}
	if err := tx.Where("round_id IN ? AND question_id IN ? AND n > 0", ids, summarised).Find(&in.counts).Error; err != nil {
		return err
	}
	for _, c := range in.counts {
		in.byRound[c.RoundID] = append(in.byRound[c.RoundID], c)
	}
	return nil
}

// bound is a from/to instant in UTC; a calendar date counts from midnight
// in the survey's zone.
func (in *resultInputs) bound(t time.Time, isDate bool) time.Time {
	if isDate {
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, in.zone)
	}
	return t.UTC()
}

func teamKey(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// shownRounds decides, round by round, whether the queried group may be
// shown: the same tree-wide suppression is used whoever asks, so no
// combination of allowed queries reveals a group below k.
func (in *resultInputs) shownRounds(teamID *int64) (map[int64]bool, error) {
	shown := make(map[int64]bool, len(in.rounds))
	for _, r := range in.rounds {
		supp, err := in.enpsSuppression(r.ID)
		if err != nil {
			return nil, err
		}
		shown[r.ID] = supp.shows(teamID)
	}
	return shown, nil
}

// enpsSuppression is the round's suppression on its eNPS respondents per
// team; it is the same for every group, so it is worked out once.
func (in *resultInputs) enpsSuppression(roundID int64) (Suppression, error) {
	if supp, ok := in.suppressed[roundID]; ok {
		return supp, nil
	}
	direct := map[int64]int{}
	for _, c := range in.cells[roundID] {
		direct[c.TeamID] += c.enps().N()
	}
	supp, err := SuppressTeams(in.teamCounts(roundID, direct), direct[0], in.thresholds.MinRespondents)
	if err == nil {
		in.suppressed[roundID] = supp
	}
	return supp, err
}

// shows reports whether the group (nil: the organisation) may be shown.
func (s Suppression) shows(teamID *int64) bool {
	if teamID == nil {
		return s.OrgShown()
	}
	return s.TeamShown(*teamID)
}

// shownForQuestion applies the tree-wide suppression to each round's
// respondents per team to one question, worked out once per round.
func (in *resultInputs) shownForQuestion(teamID *int64, questionID int64) (map[int64]bool, error) {
	shown := map[int64]bool{}
	for _, r := range in.rounds {
		key := [2]int64{r.ID, questionID}
		supp, ok := in.perQuestion[key]
		if !ok {
			direct := map[int64]int{}
			for _, c := range in.byRound[r.ID] {
				if c.QuestionID == questionID {
					direct[c.TeamID] += c.N
				}
			}
			var err error
			if supp, err = SuppressTeams(in.teamCounts(r.ID, direct), direct[0], in.thresholds.MinRespondents); err != nil {
				return nil, err
			}
			in.perQuestion[key] = supp
		}
		shown[r.ID] = supp.shows(teamID)
	}
	return shown, nil
}

// loadTrees reads the team tree each round was sent with, and the queried
// group within it.
func (in *resultInputs) loadTrees(tx *gorm.DB) error {
	in.trees, in.groups = map[int64][]directory.Team{}, map[int64]map[int64]bool{}
	if len(in.rounds) == 0 {
		return nil
	}
	ids := make([]int64, len(in.rounds))
	for i, r := range in.rounds {
		ids[i] = r.ID
	}
	var rows []roundTeam
	if err := tx.Where("round_id IN ?", ids).Order("round_id, team_id").Find(&rows).Error; err != nil {
		return err
	}
	for _, row := range rows {
		in.trees[row.RoundID] = append(in.trees[row.RoundID], directory.Team{ID: row.TeamID, ParentID: row.ParentID})
	}
	for _, r := range in.rounds {
		if _, kept := in.trees[r.ID]; !kept {
			in.trees[r.ID] = in.teams
		}
		if in.teamID != nil {
			in.groups[r.ID] = subtreeSet(in.trees[r.ID], *in.teamID)
		}
	}
	return nil
}

// subtreeSet is a team and its sub-teams in one tree; empty when the team
// was not in it.
func subtreeSet(tree []directory.Team, team int64) map[int64]bool {
	set := map[int64]bool{}
	if !slices.ContainsFunc(tree, func(t directory.Team) bool { return t.ID == team }) {
		return set
	}
	for _, id := range directory.Subtree(tree, team) {
		set[id] = true
	}
	return set
}

func (in *resultInputs) teamCounts(roundID int64, direct map[int64]int) []TeamCount {
	tree := in.trees[roundID]
	out := make([]TeamCount, len(tree))
	for i, t := range tree {
		out[i] = TeamCount{TeamID: t.ID, ParentID: t.ParentID, Direct: direct[t.ID]}
	}
	return out
}

// inGroup reports whether a team belonged to the queried group when the
// round was sent.
func (in *resultInputs) inGroup(roundID, team int64) bool {
	return in.teamID == nil || in.groups[roundID][team]
}
