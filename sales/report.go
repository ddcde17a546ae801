package sales

import (
	"context"
	"slices"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// KPIQuery picks whose KPIs, grouped how, over [From, To). Without TeamID or
// RepID, HR gets the whole company and anyone else their own rep numbers.
type KPIQuery struct {
	GroupBy  string
	TeamID   *int64
	RepID    *int64
	From, To *time.Time
}

// Subject says whose figures a row holds.
type Subject struct {
	Kind string `json:"kind"` // company, team or rep
	ID   *int64 `json:"id,omitempty"`
	Name string `json:"name"`
}

// KPIRow is one subject's KPIs for one period.
type KPIRow struct {
	Subject     Subject `json:"subject"`
	PeriodStart string  `json:"period_start"`
	PeriodEnd   string  `json:"period_end"`
	KPIs        KPIs    `json:"kpis"`
	// InProgress marks a period not over yet: its figures are partial.
	InProgress bool `json:"in_progress"`
}

// KPIReport is the answer to a KPIQuery.
type KPIReport struct {
	GroupBy  string   `json:"group_by"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Currency string   `json:"currency"`
	Rows     []KPIRow `json:"rows"`
}

// maxPeriods bounds one report.
const maxPeriods = 200

// periods lists the week, month or quarter periods (UTC, weeks from Monday)
// that start in [from, to), the first aligned down to its period's start.
// Without bounds they are the last 13 weeks, 12 months or 4 quarters.
func periods(groupBy string, from, to *time.Time, now time.Time) ([]Period, error) {
	if !slices.Contains([]string{survey.ByWeek, survey.ByMonth, survey.ByQuarter}, groupBy) {
		return nil, fault.Invalidf("group_by", "must be week, month or quarter")
	}
	end := periodStart(groupBy, now)
	end = step(groupBy, end, 1)
	if to != nil {
		end = to.UTC()
	}
	start := step(groupBy, periodStart(groupBy, end.Add(-time.Nanosecond)), map[string]int{survey.ByWeek: -12, survey.ByMonth: -11, survey.ByQuarter: -3}[groupBy])
	if from != nil {
		start = periodStart(groupBy, from.UTC())
	}
	if !start.Before(end) {
		return nil, fault.Invalidf("to", "must be after from")
	}
	var out []Period
	for p := start; p.Before(end); p = step(groupBy, p, 1) {
		if len(out) == maxPeriods {
			return nil, fault.Invalidf("from", "asks for more than %d periods; narrow from and to", maxPeriods)
		}
		out = append(out, Period{Start: p, End: step(groupBy, p, 1)})
	}
	return out, nil
}

func periodStart(groupBy string, t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	switch groupBy {
	case survey.ByWeek:
		return time.Date(y, m, d-(int(t.UTC().Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	case survey.ByQuarter:
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

func step(groupBy string, t time.Time, n int) time.Time {
	switch groupBy {
	case survey.ByWeek:
		return t.AddDate(0, 0, 7*n)
	case survey.ByQuarter:
		return t.AddDate(0, 3*n, 0)
	}
	return t.AddDate(0, n, 0)
}

// rows gives one subject's KPIs for every period asked of b.
func rows(b *book, who Subject, s subject, ps []Period, now time.Time) []KPIRow {
	out := make([]KPIRow, len(ps))
	for i, k := range b.kpis(s) {
		p := ps[i]
		out[i] = KPIRow{Subject: who, PeriodStart: p.Start.Format(time.DateOnly), PeriodEnd: p.End.Format(time.DateOnly),
			KPIs: k, InProgress: p.End.After(now)}
	}
	return out
}

// KPIs computes the KPIs viewer may see: HR anyone's, a manager those of
// the teams they lead (with sub-teams) and their reps, an employee only
// their own. A rep outside the viewer's scope is not found.
func (s *Service) KPIs(ctx context.Context, q KPIQuery, viewer directory.Employee) (KPIReport, error) {
	if q.GroupBy == "" {
		q.GroupBy = survey.ByMonth
	}
	now := s.now() // one clock for the periods and every row's InProgress
	ps, err := periods(q.GroupBy, q.From, q.To, now)
	if err != nil {
		return KPIReport{}, err
	}
	scope, err := s.dir.ScopeOf(ctx, viewer)
	if err != nil {
		return KPIReport{}, err
	}
	currency, err := s.currency(ctx)
	if err != nil {
		return KPIReport{}, err
	}
	rep := KPIReport{GroupBy: q.GroupBy, From: ps[0].Start.Format(time.DateOnly),
		To: ps[len(ps)-1].End.Format(time.DateOnly), Currency: currency, Rows: []KPIRow{}}
	switch {
	case q.RepID != nil:
		err = s.repRows(ctx, &rep, *q.RepID, scope, ps, now)
	case q.TeamID != nil:
		err = s.teamRows(ctx, &rep, *q.TeamID, scope, ps, now)
	case scope.All:
		var b *book
		if b, err = s.readBook(ctx, nil, q.GroupBy, ps); err == nil {
			rep.Rows = rows(b, Subject{Kind: "company", Name: "Company"}, subject{}, ps, now)
		}
	default:
		err = s.repRows(ctx, &rep, viewer.ID, scope, ps, now)
	}
	return rep, err
}

// currency is the one currency deals are in, if any deal says.
func (s *Service) currency(ctx context.Context) (string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Model(&Deal{}).Where("currency <> ''").Limit(1).Pluck("currency", &codes).Error
	if len(codes) == 0 {
		return "", err
	}
	return codes[0], err
}

func (s *Service) repRows(ctx context.Context, rep *KPIReport, id int64, scope directory.Scope, ps []Period, now time.Time) error {
	if !scope.HasEmployee(id) {
		return fault.NotFound("rep")
	}
	e, err := s.dir.Employee(ctx, id)
	if err != nil {
		return err
	}
	b, err := s.readBook(ctx, []int64{e.ID}, rep.GroupBy, ps)
	if err != nil {
		return err
	}
	rep.Rows = rows(b, Subject{Kind: "rep", ID: &e.ID, Name: e.Name}, subject{reps: map[int64]bool{e.ID: true}}, ps, now)
	return nil
}

// teamRows gives the team with its sub-teams, then each of its reps who has
// any sales data.
func (s *Service) teamRows(ctx context.Context, rep *KPIReport, id int64, scope directory.Scope, ps []Period, now time.Time) error {
	if err := survey.CheckAccess(scope, &id); err != nil {
		return err
	}
	team, err := s.dir.Team(ctx, id)
	if err != nil {
		return err
	}
	members, err := s.members(ctx, id)
	if err != nil {
		return err
	}
	set, ids := map[int64]bool{}, make([]int64, len(members))
	for i, m := range members {
		set[m.ID], ids[i] = true, m.ID
	}
	b, err := s.readBook(ctx, ids, rep.GroupBy, ps)
	if err != nil {
		return err
	}
	rep.Rows = rows(b, Subject{Kind: "team", ID: &team.ID, Name: team.Name}, subject{reps: set}, ps, now)
	for _, m := range members {
		if b.holdings[m.ID].any {
			rep.Rows = append(rep.Rows, rows(b, Subject{Kind: "rep", ID: &m.ID, Name: m.Name},
				subject{reps: map[int64]bool{m.ID: true}}, ps, now)...)
		}
	}
	return nil
}

// members are the employees of a team and its sub-teams today: a rep's
// numbers count for the team they are in now.
func (s *Service) members(ctx context.Context, teamID int64) ([]directory.Employee, error) {
	ids, err := s.dir.TeamSubtree(ctx, teamID)
	if err != nil {
		return nil, err
	}
	var out []directory.Employee
	err = s.db.WithContext(ctx).Where("team_id IN ?", ids).Order("lower(name), id").Find(&out).Error
	return out, err
}
