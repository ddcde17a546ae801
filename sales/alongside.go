package sales

import (
	"context"
	"slices"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// MinPairs is the fewest team-period pairs a correlation is given for.
const MinPairs = 8

// NotEnoughData is the plain note of a correlation below MinPairs. The
// dashboard reads it as a code and words it itself, with the count.
const NotEnoughData = "not enough data"

// AlongsideQuery picks the survey whose eNPS goes next to the KPIs.
type AlongsideQuery struct {
	SurveyID int64
	GroupBy  string
	From, To *time.Time
}

// TeamENPS is a team's eNPS for a period as the survey results show it:
// "shown" with its numbers, "suppressed" (below the anonymity threshold)
// with none, or "no_data" when no round fell in the period.
type TeamENPS struct {
	Status string   `json:"status"`
	N      *int     `json:"n,omitempty"`
	ENPS   *float64 `json:"enps,omitempty"`
	MoE    *float64 `json:"moe,omitempty"`
	CILow  *float64 `json:"ci_low,omitempty"`
	CIHigh *float64 `json:"ci_high,omitempty"`
	// EveryoneAnswered replaces the margin when the whole team answered.
	EveryoneAnswered bool `json:"everyone_answered,omitempty"`
}

// AlongsideRow is one team and period: eNPS next to the KPIs.
type AlongsideRow struct {
	TeamID      int64    `json:"team_id"`
	TeamName    string   `json:"team_name"`
	PeriodStart string   `json:"period_start"`
	ENPS        TeamENPS `json:"enps"`
	KPIs        KPIs     `json:"kpis"`
	// InProgress marks the period still running: its figures are partial,
	// so it is shown but left out of the correlations.
	InProgress bool `json:"in_progress"`
}

// Correlation is Spearman's rho between team eNPS and one KPI over the
// team-periods where both are known; null with a note below MinPairs.
type Correlation struct {
	KPI  string   `json:"kpi"`
	N    int      `json:"n"`
	Rho  *float64 `json:"rho"`
	Note string   `json:"note,omitempty"`
}

// Alongside is the eNPS-next-to-KPIs view.
type Alongside struct {
	SurveyID     int64          `json:"survey_id"`
	GroupBy      string         `json:"group_by"`
	Rows         []AlongsideRow `json:"rows"`
	Correlations []Correlation  `json:"correlations"`
}

// Alongside puts, for each sales team the viewer may see and each period,
// the team's eNPS (through survey results, so suppression holds) next to
// its KPIs, and correlates them. Only teams: no rep is ever shown with an
// eNPS. A sales team is one with a direct member who owns sales data; its
// figures include its sub-teams, as everywhere in Pulse.
func (s *Service) Alongside(ctx context.Context, q AlongsideQuery, viewer directory.Employee) (Alongside, error) {
	if q.GroupBy == "" {
		q.GroupBy = survey.ByMonth
	}
	now := s.now() // one clock for the periods and every row's InProgress
	ps, err := periods(q.GroupBy, q.From, q.To, now)
	if err != nil {
		return Alongside{}, err
	}
	scope, err := s.dir.ScopeOf(ctx, viewer)
	if err != nil {
		return Alongside{}, err
	}
	org, b, err := s.salesOrg(ctx, scope, q.GroupBy, ps)
	if err != nil {
		return Alongside{}, err
	}
	from, to := ps[0].Start, ps[len(ps)-1].End
	results, err := s.surveys.TeamResults(ctx, q.SurveyID, survey.ResultsQuery{GroupBy: q.GroupBy,
		From: &from, To: &to, FromDate: true, ToDate: true}, org.teamIDs(), scope)
	if err != nil {
		return Alongside{}, err
	}
	out := Alongside{SurveyID: q.SurveyID, GroupBy: q.GroupBy, Rows: []AlongsideRow{}}
	for _, t := range org.salesTeams {
		out.Rows = append(out.Rows, teamAlongside(b, t, org.membersOf(t.ID), results[t.ID], q, ps, now)...)
	}
	out.Correlations = correlate(out.Rows)
	return out, nil
}

// salesOrg is today's tree and people, and the teams among them that sell:
// read once, so the view costs the same few queries however many teams it
// shows.
type salesOrg struct {
	teams      []directory.Team
	people     []directory.Employee
	salesTeams []directory.Team
}

// salesOrg finds the sales teams the viewer may see (those with a direct
// member who owns sales data), and the book of everyone in the teams the
// viewer may see: a team's sub-teams are in scope with it.
func (s *Service) salesOrg(ctx context.Context, scope directory.Scope, groupBy string, ps []Period) (salesOrg, *book, error) {
	all, err := s.dir.Teams(ctx)
	if err != nil {
		return salesOrg{}, nil, err
	}
	org := salesOrg{teams: all}
	if err := s.db.WithContext(ctx).Where("team_id IS NOT NULL").Find(&org.people).Error; err != nil {
		return salesOrg{}, nil, err
	}
	ids := []int64{}
	for _, p := range org.people {
		if scope.HasTeam(*p.TeamID) {
			ids = append(ids, p.ID)
		}
	}
	b, err := s.readBook(ctx, ids, groupBy, ps)
	if err != nil {
		return salesOrg{}, nil, err
	}
	withSales := map[int64]bool{}
	for _, p := range org.people {
		if b.holdings[p.ID].any {
			withSales[*p.TeamID] = true
		}
	}
	for _, t := range all {
		if withSales[t.ID] && scope.HasTeam(t.ID) {
			org.salesTeams = append(org.salesTeams, t)
		}
	}
	slices.SortFunc(org.salesTeams, func(a, b directory.Team) int { return int(a.ID - b.ID) })
	return org, b, nil
}

func (org salesOrg) teamIDs() []int64 {
	ids := make([]int64, len(org.salesTeams))
	for i, t := range org.salesTeams {
		ids[i] = t.ID
	}
	return ids
}

// membersOf is everyone in a team and its sub-teams today.
func (org salesOrg) membersOf(teamID int64) map[int64]bool {
	inTeam := map[int64]bool{}
	for _, id := range directory.Subtree(org.teams, teamID) {
		inTeam[id] = true
	}
	set := map[int64]bool{}
	for _, p := range org.people {
		if inTeam[*p.TeamID] {
			set[p.ID] = true
		}
	}
	return set
}

func teamAlongside(b *book, t directory.Team, members map[int64]bool, res survey.Results, q AlongsideQuery, ps []Period, now time.Time) []AlongsideRow {
	points := map[string]survey.Point{}
	for _, p := range res.Points {
		points[p.PeriodStart] = p
	}
	var out []AlongsideRow
	for _, r := range rows(b, Subject{}, subject{reps: members}, ps, now) {
		out = append(out, AlongsideRow{TeamID: t.ID, TeamName: t.Name, PeriodStart: r.PeriodStart,
			ENPS: teamENPS(points, r.PeriodStart), KPIs: r.KPIs, InProgress: r.InProgress})
	}
	return out
}

func teamENPS(points map[string]survey.Point, start string) TeamENPS {
	p, ok := points[start]
	switch {
	case !ok:
		return TeamENPS{Status: "no_data"}
	case p.Suppressed || p.ENPS == nil:
		return TeamENPS{Status: "suppressed"}
	}
	return TeamENPS{Status: "shown", N: p.N, ENPS: p.ENPS, MoE: p.MoE, CILow: p.CILow, CIHigh: p.CIHigh,
		EveryoneAnswered: p.EveryoneAnswered}
}

// correlate gives Spearman's rho between shown team eNPS and each KPI, over
// finished periods only.
func correlate(rows []AlongsideRow) []Correlation {
	out := make([]Correlation, 0, len(kpiFields))
	for _, f := range kpiFields {
		var xs, ys []float64
		for _, r := range rows {
			m := f.get(r.KPIs)
			if r.ENPS.Status == "shown" && m.Value != nil && !r.InProgress {
				xs, ys = append(xs, *r.ENPS.ENPS), append(ys, *m.Value)
			}
		}
		c := Correlation{KPI: f.name, N: len(xs)}
		reason := commonReason(rows, f.get)
		switch rho, ok := Spearman(xs, ys); {
		case reason != "":
			c.Note = reason
		case len(xs) < MinPairs:
			c.Note = NotEnoughData
		case !ok:
			c.Note = "no variation to rank"
		default:
			c.Rho = &rho
		}
		out = append(out, c)
	}
	return out
}

// commonReason is the one reason a KPI is missing from every row, as for a
// KPI not computed per team: that, not "not enough data", is why it has no
// correlation. Empty when some row has the KPI or the reasons differ.
func commonReason(rows []AlongsideRow, get func(KPIs) Metric) string {
	reason := ""
	for i, r := range rows {
		m := get(r.KPIs)
		if m.Value != nil || (i > 0 && m.Reason != reason) {
			return ""
		}
		reason = m.Reason
	}
	return reason
}

// Spearman is survey.Spearman, the one rank correlation Pulse uses (the
// driver analysis uses it too).
func Spearman(xs, ys []float64) (rho float64, ok bool) { return survey.Spearman(xs, ys) }
