package survey

import (
	"slices"
	"strconv"
)

// questionResults summarises every scale, yes/no and choice question over
// the rounds where the group is shown for that question. Each question is
// suppressed on its own respondents (a Slack tap answers only eNPS, so the
// others often have fewer): the eNPS rounds' suppression would let a parent's
// count minus a sub-team's count isolate the few who answered the question.
//
// Each summary also says which periods it covers, and gives the latest
// period the group answered the question in beside the one before it, so
// a change shows. Those are made of the same shown rounds, so one period's
// figures never differ from another's, or from the whole range's, by fewer
// than k people.
func (in *resultInputs) questionResults(teamID *int64, groupBy string) ([]QuestionResult, error) {
	values := map[int64][]string{}
	answered := map[int64]bool{}
	byPeriod := map[int64]*periodValues{}
	starts := make(map[int64]string, len(in.rounds))
	for _, r := range in.rounds {
		starts[r.ID] = in.periodStart(r, groupBy)
	}
	for _, q := range in.questions {
		if q.Kind == KindENPS || q.Kind == KindText {
			continue
		}
		shown, err := in.shownForQuestion(teamID, q.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range in.counts {
			if c.QuestionID != q.ID || !in.inGroup(c.RoundID, c.TeamID) {
				continue
			}
			answered[q.ID] = true
			if byPeriod[q.ID] == nil {
				byPeriod[q.ID] = &periodValues{values: map[string][]string{}, answered: map[string]bool{}, rounds: map[int64]bool{}}
			}
			pv := byPeriod[q.ID]
			start := starts[c.RoundID]
			pv.answered[start] = true
			if !shown[c.RoundID] {
				continue
			}
			pv.rounds[c.RoundID] = true
			for range c.N {
				values[q.ID] = append(values[q.ID], c.Value)
				pv.values[start] = append(pv.values[start], c.Value)
			}
		}
	}
	out := []QuestionResult{}
	for _, q := range sortedQuestions(in.questions) {
		if q.Kind == KindENPS || q.Kind == KindText {
			continue
		}
		if !answered[q.ID] && q.Version != in.survey.Version {
			continue // an old version nobody in the group answered in this range
		}
		res := QuestionResult{QuestionID: q.ID, Kind: q.Kind, Prompt: q.Prompt}
		vals := values[q.ID]
		// Answered, but nothing that may be shown: suppressed, never a 0.
		res.Suppressed = answered[q.ID] && len(vals) < in.thresholds.MinRespondents
		if !res.Suppressed {
			res.Scale, res.Shares = summarise(q, vals)
		}
		if pv := byPeriod[q.ID]; pv != nil {
			in.describePeriods(&res, q, pv, groupBy)
		}
		out = append(out, res)
	}
	return out, nil
}

// periodValues is one question's shown answers of the queried group by
// period, and the periods it was answered in at all.
type periodValues struct {
	values   map[string][]string
	answered map[string]bool
	rounds   map[int64]bool // shown rounds counted in the whole-range summary
}

// describePeriods fills the covered range and the latest two periods.
func (in *resultInputs) describePeriods(res *QuestionResult, q Question, pv *periodValues, groupBy string) {
	var answered []string
	for _, p := range in.periods(groupBy) {
		if pv.answered[p.start] {
			answered = append(answered, p.start)
		}
		if len(pv.values[p.start]) == 0 {
			continue
		}
		if res.From == "" {
			res.From = p.start
		}
		res.To = p.start
	}
	res.Rounds = len(pv.rounds)
	if res.Suppressed {
		res.From, res.To, res.Rounds = "", "", 0
	}
	period := func(start string) *QuestionPeriod {
		qp := &QuestionPeriod{PeriodStart: start}
		vals := pv.values[start]
		qp.Suppressed = len(vals) < in.thresholds.MinRespondents
		if !qp.Suppressed {
			qp.Scale, qp.Shares = summarise(q, vals)
		}
		return qp
	}
	if n := len(answered); n > 0 {
		res.Latest = period(answered[n-1])
		if n > 1 {
			res.Previous = period(answered[n-2])
		}
	}
}

func summarise(q Question, vals []string) (*ScaleSummary, *ShareSummary) {
	switch q.Kind {
	case KindScale:
		nums := make([]int, len(vals))
		for i, v := range vals {
			nums[i], _ = strconv.Atoi(v)
		}
		sum := SummarizeScale(nums)
		return &sum, nil
	case KindYesNo:
		bools := make([]bool, len(vals))
		for i, v := range vals {
			bools[i] = v == AnswerYes
		}
		sum := SummarizeYesNo(bools)
		return nil, &sum
	case KindChoice:
		sum := SummarizeChoice(q.Options, vals)
		return nil, &sum
	}
	return nil, nil
}

func sortedQuestions(qs map[int64]Question) []Question {
	out := make([]Question, 0, len(qs))
	for _, q := range qs {
		out = append(out, q)
	}
	slices.SortFunc(out, func(a, b Question) int {
		if a.Version != b.Version {
			return a.Version - b.Version
		}
		return a.Position - b.Position
	})
	return out
}
