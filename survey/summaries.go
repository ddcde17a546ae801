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
func (in *resultInputs) questionResults(teamID *int64) ([]QuestionResult, error) {
	values := map[int64][]string{}
	answered := map[int64]bool{}
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
			if !shown[c.RoundID] {
				continue
			}
			for range c.N {
				values[q.ID] = append(values[q.ID], c.Value)
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
			summarise(&res, q, vals)
		}
		out = append(out, res)
	}
	return out, nil
}

func summarise(res *QuestionResult, q Question, vals []string) {
	switch q.Kind {
	case KindScale:
		nums := make([]int, len(vals))
		for i, v := range vals {
			nums[i], _ = strconv.Atoi(v)
		}
		sum := SummarizeScale(nums)
		res.Scale = &sum
	case KindYesNo:
		bools := make([]bool, len(vals))
		for i, v := range vals {
			bools[i] = v == AnswerYes
		}
		sum := SummarizeYesNo(bools)
		res.Shares = &sum
	case KindChoice:
		sum := SummarizeChoice(q.Options, vals)
		res.Shares = &sum
	}
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
