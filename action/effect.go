package action

import (
	"context"
	"math"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Side is the linked question's result in one round, for one group.
type Side struct {
	RoundID     int64   `json:"round_id"`
	PeriodStart string  `json:"period_start"`
	N           int     `json:"n"`
	Value       float64 `json:"value"` // eNPS in points, or a scale question's mean
}

// Effect is how the plan's linked question moved for its group between the
// round the plan answers and the latest closed round since it was
// published. Margin is the 95% margin of the change (1.96 × the combined
// standard error); Significant says the change is larger than it. Where
// everyone in the group answered both rounds there is no sampling error:
// the margin is 0 and any change is real.
// Suppressed (with no numbers) when either round is below k for the group.
type Effect struct {
	PlanID      int64    `json:"plan_id"`
	QuestionID  *int64   `json:"question_id"`
	Kind        string   `json:"kind,omitempty"`
	Status      string   `json:"status" jsonschema:"description=measured; suppressed (a side below k); no_question; not_published; no_round_since (no closed round since publishing); not_measurable (a question kind with no single figure)"`
	Before      *Side    `json:"before,omitempty"`
	After       *Side    `json:"after,omitempty"`
	Change      *float64 `json:"change,omitempty"`
	Margin      *float64 `json:"margin,omitempty"`
	Significant bool     `json:"significant"`
}

// Effect statuses.
const (
	EffectMeasured      = "measured"
	EffectSuppressed    = "suppressed"
	EffectNoQuestion    = "no_question"
	EffectNotPublished  = "not_published"
	EffectNoRoundSince  = "no_round_since"
	EffectNotMeasurable = "not_measurable"
)

// Effect works out how the plan's linked question moved since the plan
// was published, from the same suppressed results the viewer could read
// round by round, so it reveals nothing they could not.
func (s *Service) Effect(ctx context.Context, p Plan) (Effect, error) {
	out := Effect{PlanID: p.ID, QuestionID: p.QuestionID}
	switch {
	case p.QuestionID == nil:
		out.Status = EffectNoQuestion
		return out, nil
	case p.PublishedAt == nil:
		out.Status = EffectNotPublished
		return out, nil
	}
	var q survey.Question
	if err := s.db.WithContext(ctx).Select("id, kind").First(&q, *p.QuestionID).Error; err != nil {
		return out, err
	}
	out.Kind = q.Kind
	if q.Kind != survey.KindENPS && q.Kind != survey.KindScale {
		out.Status = EffectNotMeasurable
		return out, nil
	}
	before, err := s.surveys.Round(ctx, p.RoundID)
	if err != nil {
		return out, err
	}
	after, ok, err := s.latestRoundSince(ctx, p)
	if err != nil || !ok {
		out.Status = EffectNoRoundSince
		return out, err
	}
	measure := s.enpsSide
	if q.Kind == survey.KindScale {
		measure = s.scaleSide
	}
	b, err := measure(ctx, before, p)
	if err != nil {
		return out, err
	}
	a, err := measure(ctx, after, p)
	if err != nil {
		return out, err
	}
	if !b.ok || !a.ok {
		out.Status = EffectSuppressed
		return out, nil
	}
	round := survey.RoundPoints // eNPS: one decimal of a point
	if q.Kind == survey.KindScale {
		round = func(x float64) float64 { return math.Round(x*100) / 100 }
	}
	change := round(a.Value - b.Value)
	margin := 1.96 * math.Hypot(b.se, a.se)
	out.Status, out.Before, out.After, out.Change = EffectMeasured, &b.Side, &a.Side, &change
	// As on the trend: the centres of the intervals (e′ for eNPS) are
	// compared, against the combined margin.
	out.Significant = math.Abs(a.estimate-b.estimate) > margin
	margin = round(margin)
	out.Margin = &margin
	return out, nil
}

// latestRoundSince is the latest sealed round of the plan's survey
// scheduled after the plan was published.
func (s *Service) latestRoundSince(ctx context.Context, p Plan) (survey.Round, bool, error) {
	var rounds []survey.Round
	err := s.db.WithContext(ctx).Where("survey_id = ? AND sealed AND scheduled_at > ?", p.SurveyID, *p.PublishedAt).
		Order("scheduled_at DESC").Limit(1).Find(&rounds).Error
	if err != nil || len(rounds) == 0 {
		return survey.Round{}, false, err
	}
	return rounds[0], true, nil
}

// measured is one side with what the comparison needs: the standard
// error and the centre of the interval, in the side's unit; ok is false
// when the round is suppressed for the group.
type measured struct {
	Side
	se, estimate float64
	ok           bool
}

// enpsSide is the group's eNPS in one round and the standard error of its
// estimate in points; ok is false when the round is suppressed for the
// group. The headcount is not known from a point, so a sample gets no
// finite-population correction: its margin errs wide.
func (s *Service) enpsSide(ctx context.Context, r survey.Round, p Plan) (measured, error) {
	res, err := s.surveys.Results(ctx, r.SurveyID, roundQuery(r, p.TeamID), directory.EveryoneScope())
	if err != nil {
		return measured{}, err
	}
	for _, pt := range res.Points {
		if pt.RoundID == nil || *pt.RoundID != r.ID || pt.Suppressed || pt.N == nil {
			continue
		}
		counts := survey.ENPSCounts{Promoters: *pt.Promoters, Passives: *pt.Passives, Detractors: *pt.Detractors}
		headcount := 0
		if pt.EveryoneAnswered {
			headcount = *pt.N
		}
		score := survey.ScoreENPS(counts, headcount)
		side := Side{RoundID: r.ID, PeriodStart: pt.PeriodStart, N: score.N, Value: survey.RoundPoints(score.Score)}
		return measured{Side: side, se: 100 * score.SE, estimate: 100 * score.Estimate, ok: true}, nil
	}
	return measured{}, nil
}

// scaleSide is the group's mean on a scale question in one round and its
// standard error (sample standard deviation over the square root of n).
func (s *Service) scaleSide(ctx context.Context, r survey.Round, p Plan) (measured, error) {
	res, err := s.surveys.Results(ctx, r.SurveyID, roundQuery(r, p.TeamID), directory.EveryoneScope())
	if err != nil {
		return measured{}, err
	}
	for _, q := range res.Questions {
		if q.QuestionID != *p.QuestionID || q.Suppressed || q.Scale == nil || q.Scale.N == 0 {
			continue
		}
		sc := q.Scale
		var ss float64
		for v, n := range sc.Distribution {
			ss += float64(n) * (float64(v) - sc.Mean) * (float64(v) - sc.Mean)
		}
		se := 0.0
		if sc.N > 1 {
			se = math.Sqrt(ss/float64(sc.N-1)) / math.Sqrt(float64(sc.N))
		}
		start := ""
		if len(res.Points) > 0 {
			start = res.Points[0].PeriodStart
		}
		side := Side{RoundID: r.ID, PeriodStart: start, N: sc.N, Value: math.Round(sc.Mean*100) / 100}
		return measured{Side: side, se: se, estimate: sc.Mean, ok: true}, nil
	}
	return measured{}, nil
}
