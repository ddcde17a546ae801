package survey

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
)

// MinDriverResponses is the fewest eNPS answers a group needs in a period
// for a driver analysis, and the fewest pairs a single driver is given for:
// below it a rank correlation says more about chance than about the team.
const MinDriverResponses = 25

// Driver statuses.
const (
	DriverShown          = "shown"
	DriverNotEnough      = "not_enough_answers" // fewer than MinDriverResponses pairs
	DriverTooFewPerValue = "too_few_per_answer" // after pooling, one answer stands for everyone
	DriverNoVariation    = "no_variation"       // eNPS or the answer is the same for all
)

// NotEnoughForDrivers is what a group below MinDriverResponses is told.
const NotEnoughForDrivers = "not enough answers for a driver analysis"

// NotCause is the caution every driver analysis carries.
const NotCause = "Correlation is not cause: a question that moves with eNPS may share a cause with it rather than drive it."

// Driver is how one answer moves with the eNPS answer across responses:
// Spearman's rho with its 95% interval over N pairs. A choice question
// gives one driver per option ("chose it" against eNPS, Option says which).
type Driver struct {
	QuestionID int64    `json:"question_id"`
	Kind       string   `json:"kind"`
	Prompt     string   `json:"prompt"`
	Option     string   `json:"option,omitempty"`
	Status     string   `json:"status"`
	N          *int     `json:"n,omitempty"`
	Rho        *float64 `json:"rho,omitempty"`
	CILow      *float64 `json:"ci_low,omitempty"`
	CIHigh     *float64 `json:"ci_high,omitempty"`
}

// Drivers is a group's driver analysis over the closed rounds of a range,
// strongest correlation first. Below MinDriverResponses eNPS answers it is
// Enough false with Message, and has no drivers and no counts.
type Drivers struct {
	SurveyID       int64    `json:"survey_id"`
	TeamID         *int64   `json:"team_id"`
	MinResponses   int      `json:"min_responses"`
	MinRespondents int      `json:"min_respondents"`
	Enough         bool     `json:"enough"`
	Responses      *int     `json:"responses,omitempty"`
	Message        string   `json:"message,omitempty"`
	Caution        string   `json:"caution"`
	Drivers        []Driver `json:"drivers"`
}

// Drivers correlates each scale, yes/no and choice question with the eNPS
// answer for the viewer's chosen group, from counts of answer pairs of sealed
// rounds. What protects the people in it is what protects results:
//   - a round counts for the group only where the group is shown both for
//     eNPS and for the pairs (people who answered both questions), each by
//     the tree-wide suppression every viewer shares, so subtracting a
//     parent and its sub-teams, or two overlapping date ranges (which
//     differ by whole rounds), never isolates fewer than k people;
//   - every answer value and every eNPS value stands for at least k people:
//     sparser ones are pooled with a neighbour, and a question left with
//     one value is not correlated at all;
//   - rho and its interval are rounded to two places.
func (s *Service) Drivers(ctx context.Context, surveyID int64, q ResultsQuery, scope directory.Scope) (Drivers, error) {
	q.GroupBy = ByRound
	if err := q.validate(); err != nil {
		return Drivers{}, err
	}
	if err := CheckAccess(scope, q.TeamID); err != nil {
		return Drivers{}, err
	}
	var in *resultInputs
	var cells []pairCell
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		if in, err = ro.loadResultInputs(ctx, surveyID, q); err != nil {
			return err
		}
		cells, err = in.loadPairs(ro.db.WithContext(ctx))
		return err
	})
	if err != nil {
		return Drivers{}, err
	}
	return in.drivers(surveyID, cells)
}

// pairCell counts the responses of one round and (folded) team that gave
// one eNPS score and one answer to one question: a cell of the contingency
// table a correlation is computed from, so no single response is read into
// Go. A choice answer is in Text, any other in Number.
type pairCell struct {
	RoundID    int64
	TeamID     *int64
	QuestionID int64
	ENPS       int
	Number     *int
	Text       *string
	N          int
}

// loadPairs counts, for the loaded rounds, every (eNPS, answer) pair per
// round, team and question: the whole organisation's, for the suppression
// is decided over its tree.
func (in *resultInputs) loadPairs(tx *gorm.DB) ([]pairCell, error) {
	var enps, others []int64
	for _, q := range in.questions {
		switch q.Kind {
		case KindENPS:
			enps = append(enps, q.ID)
		case KindScale, KindYesNo, KindChoice:
			others = append(others, q.ID)
		}
	}
	if len(in.rounds) == 0 || len(enps) == 0 || len(others) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(in.rounds))
	for i, r := range in.rounds {
		ids[i] = r.ID
	}
	var cells []pairCell
	err := tx.Table("responses").
		Select("responses.round_id, responses.team_id, a.question_id, e.number AS enps, a.number, a.text, COUNT(*) AS n").
		Joins("JOIN answers e ON e.response_id = responses.id AND e.question_id IN ?", enps).
		Joins("JOIN answers a ON a.response_id = responses.id AND a.question_id IN ?", others).
		Where("responses.round_id IN ?", ids).
		Group("responses.round_id, responses.team_id, a.question_id, e.number, a.number, a.text").
		Scan(&cells).Error
	return cells, err
}

func (in *resultInputs) drivers(surveyID int64, cells []pairCell) (Drivers, error) {
	k := in.thresholds.MinRespondents
	d := Drivers{SurveyID: surveyID, TeamID: in.teamID, MinResponses: MinDriverResponses, MinRespondents: k,
		Caution: NotCause, Drivers: []Driver{}}
	shown, err := in.shownRounds(in.teamID)
	if err != nil {
		return Drivers{}, err
	}
	// The group's eNPS answers in its shown rounds: the n results gives.
	responses := 0
	for _, r := range in.rounds {
		for _, c := range in.cells[r.ID] {
			if shown[r.ID] && in.inGroup(r.ID, c.TeamID) {
				responses += c.enps().N()
			}
		}
	}
	if responses < MinDriverResponses {
		d.Message = NotEnoughForDrivers
		return d, nil
	}
	d.Enough, d.Responses = true, &responses
	for _, q := range sortedQuestions(in.questions) {
		if q.Kind != KindScale && q.Kind != KindYesNo && q.Kind != KindChoice {
			continue
		}
		rounds, err := in.roundsShownForPairs(q.ID, cells, shown)
		if err != nil {
			return Drivers{}, err
		}
		d.Drivers = append(d.Drivers, in.questionDrivers(q, cells, rounds)...)
	}
	slices.SortStableFunc(d.Drivers, strongestFirst)
	return d, nil
}

// roundsShownForPairs keeps the rounds where the group is shown for eNPS
// and where, counting per team those who answered both eNPS and question,
// the tree-wide suppression shows it too. It counts every team of the
// round, not only the group's: the suppression is the organisation's, the
// same whoever asks.
func (in *resultInputs) roundsShownForPairs(question int64, cells []pairCell, enpsShown map[int64]bool) (map[int64]bool, error) {
	direct := map[int64]map[int64]int{}
	for _, c := range cells {
		if c.QuestionID != question {
			continue
		}
		if direct[c.RoundID] == nil {
			direct[c.RoundID] = map[int64]int{}
		}
		direct[c.RoundID][teamKey(c.TeamID)] += c.N
	}
	out := map[int64]bool{}
	for _, round := range in.rounds {
		if !enpsShown[round.ID] || direct[round.ID] == nil {
			continue
		}
		supp, err := SuppressTeams(in.teamCounts(round.ID, direct[round.ID]), direct[round.ID][0], in.thresholds.MinRespondents)
		if err != nil {
			return nil, err
		}
		out[round.ID] = supp.shows(in.teamID)
	}
	return out, nil
}

// questionDrivers correlates one question (each option of a choice) with
// eNPS over the group's pairs in the given rounds.
func (in *resultInputs) questionDrivers(q Question, cells []pairCell, rounds map[int64]bool) []Driver {
	var enps, answers []float64
	var picked []string
	for _, c := range cells {
		if c.QuestionID != q.ID || !rounds[c.RoundID] || !in.inGroup(c.RoundID, teamKey(c.TeamID)) {
			continue
		}
		var value float64
		var text string
		switch {
		case c.Number != nil:
			value = float64(*c.Number)
		case c.Text != nil:
			text = *c.Text
		}
		for range c.N {
			enps = append(enps, float64(c.ENPS))
			answers = append(answers, value)
			picked = append(picked, text)
		}
	}
	k := in.thresholds.MinRespondents
	if q.Kind != KindChoice {
		return []Driver{correlate(Driver{QuestionID: q.ID, Kind: q.Kind, Prompt: q.Prompt}, enps, answers, k)}
	}
	out := make([]Driver, 0, len(q.Options))
	for _, opt := range q.Options {
		chose := make([]float64, len(picked))
		for i, p := range picked {
			if p == opt {
				chose[i] = 1
			}
		}
		out = append(out, correlate(Driver{QuestionID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Option: opt}, enps, chose, k))
	}
	return out
}

// correlate fills d from the pairs, pooling values fewer than k gave.
func correlate(d Driver, enps, answers []float64, k int) Driver {
	if len(enps) < MinDriverResponses {
		d.Status = DriverNotEnough
		return d
	}
	xs, xLevels := pooled(enps, k)
	ys, yLevels := pooled(answers, k)
	if xLevels < 2 || yLevels < 2 {
		d.Status = DriverTooFewPerValue
		if distinct(enps) < 2 || distinct(answers) < 2 {
			d.Status = DriverNoVariation
		}
		return d
	}
	rho, ok := Spearman(xs, ys)
	if !ok {
		d.Status = DriverNoVariation
		return d
	}
	low, high, _ := SpearmanInterval(rho, len(xs))
	n := len(xs)
	d.Status, d.N = DriverShown, &n
	d.Rho, d.CILow, d.CIHigh = hundredths(rho), hundredths(low), hundredths(high)
	return d
}

func pooled(values []float64, k int) ([]float64, int) {
	level, levels := poolSparseLevels(values, k)
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(level[v])
	}
	return out, levels
}

func distinct(values []float64) int {
	seen := map[float64]bool{}
	for _, v := range values {
		seen[v] = true
	}
	return len(seen)
}

func hundredths(x float64) *float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		r = 0 // never "-0"
	}
	return &r
}

// strongestFirst orders shown drivers by |rho|, largest first, then the rest
// in question order.
func strongestFirst(a, b Driver) int {
	if (a.Rho == nil) != (b.Rho == nil) {
		if a.Rho != nil {
			return -1
		}
		return 1
	}
	if a.Rho == nil {
		return 0
	}
	return cmp.Compare(math.Abs(*b.Rho), math.Abs(*a.Rho))
}
