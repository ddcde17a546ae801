package survey

import (
	"time"
)

// periodStart names the period a round belongs to, in the survey's zone.
func (in *resultInputs) periodStart(r Round, groupBy string) string {
	t := r.ScheduledAt.In(in.zone)
	y, m, d := t.Date()
	switch groupBy {
	case ByWeek:
		offset := (int(t.Weekday()) + 6) % 7 // weeks start on Monday
		return time.Date(y, m, d-offset, 0, 0, 0, 0, in.zone).Format(time.DateOnly)
	case ByMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, in.zone).Format(time.DateOnly)
	case ByQuarter:
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, in.zone).Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// points groups the rounds into periods, in time order, and scores each.
func (in *resultInputs) points(q ResultsQuery, shown map[int64]bool) []Point {
	var (
		out      = []Point{}
		previous *ENPS
	)
	for _, period := range in.periods(q.GroupBy) {
		p := Point{PeriodStart: period.start, Rounds: len(period.rounds), Suppressed: true}
		if q.GroupBy == ByRound {
			p.RoundID = &period.rounds[0].ID
		}
		var counts ENPSCounts
		var part participation
		for _, r := range period.rounds {
			if !shown[r.ID] {
				continue
			}
			p.Suppressed = false
			for _, c := range in.cells[r.ID] {
				if in.inGroup(r.ID, c.TeamID) {
					counts = counts.Plus(c.enps())
					part.Recipients += c.Recipients
					part.Answered += c.Respondents
				}
			}
		}
		if !p.Suppressed {
			score := ScoreENPS(counts, part.Recipients)
			fill(&p, score, part)
			p.SignificantChange = previous != nil && SignificantChange(*previous, score)
			previous = &score
		}
		out = append(out, p)
	}
	return out
}

func fill(p *Point, score ENPS, part participation) {
	n, pro, pas, det := score.N, score.Promoters, score.Passives, score.Detractors
	enps := RoundPoints(score.Score)
	p.N, p.Promoters, p.Passives, p.Detractors, p.ENPS = &n, &pro, &pas, &det, &enps
	p.EveryoneAnswered = score.EveryoneAnswered
	if !score.EveryoneAnswered {
		moe, low, high := RoundPoints(score.MoE), RoundPoints(score.CILow), RoundPoints(score.CIHigh)
		p.MoE, p.CILow, p.CIHigh = &moe, &low, &high
	}
	if part.Recipients > 0 {
		rate := float64(part.Answered) / float64(part.Recipients)
		p.Participation = &rate
	}
}

type period struct {
	start  string
	rounds []Round
}

func (in *resultInputs) periods(groupBy string) []period {
	var out []period
	for _, r := range in.rounds {
		start := in.periodStart(r, groupBy)
		if groupBy != ByRound && len(out) > 0 && out[len(out)-1].start == start {
			out[len(out)-1].rounds = append(out[len(out)-1].rounds, r)
			continue
		}
		out = append(out, period{start: start, rounds: []Round{r}})
	}
	return out
}
