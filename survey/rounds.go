package survey

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// Round is one sending of a survey. It is unique per survey and scheduled
// time, so a retry, a restart or a second replica never creates it twice.
type Round struct {
	ID            int64      `json:"id"`
	SurveyID      int64      `json:"survey_id"`
	SurveyVersion int        `json:"survey_version"`
	ScheduledAt   time.Time  `json:"scheduled_at"`
	ClosesAt      time.Time  `json:"closes_at"`
	ClosedAt      *time.Time `json:"closed_at"`
	CreatedAt     time.Time  `json:"created_at"`
	// OpensAt is the first send, to the recipient whose local time comes
	// first; until then the round is scheduled (see window.go).
	OpensAt *time.Time `json:"opens_at"`
	// Skipped counts people left out because their previous round of the
	// same survey was still open when this one reached them.
	Skipped int `json:"skipped"`
	// Sealed says closing has erased the key and hashes and folded small
	// teams: only then are the round's figures final and shown.
	Sealed bool `json:"-"`
}

// OpenAt reports whether answers are still taken at now.
func (r Round) OpenAt(now time.Time) bool { return r.ClosedAt == nil && now.Before(r.ClosesAt) }

// Recipient is one person asked in a round. Whether they answered is kept
// nowhere: while the round is open it is found through the keyed hash, and
// after close nobody can tell.
type Recipient struct {
	RoundID    int64  `json:"round_id"`
	EmployeeID int64  `json:"employee_id"`
	TeamID     *int64 `json:"team_id"`
	// OpensAt is when the round reaches this person; until then it is not
	// listed as open to them.
	OpensAt *time.Time `json:"opens_at"`
}

// TableName names the participation table.
func (Recipient) TableName() string { return "round_recipients" }

// RoundHook runs inside the transaction that creates a round, so whatever it
// writes (delivery jobs, say) exists exactly when the round does.
type RoundHook func(ctx context.Context, tx *gorm.DB, round Round, recipients []Recipient) error

// SendNow creates a round of the survey scheduled at the current minute. A
// retry within the same minute returns the round already created.
func (s *Service) SendNow(ctx context.Context, surveyID int64, hook RoundHook) (Round, bool, error) {
	return s.CreateRound(ctx, surveyID, s.now().Truncate(time.Minute), hook)
}

// CreateRound creates the round of surveyID scheduled at scheduledAt with
// its recipients (active employees in the audience at this moment), or
// returns the existing one with created false.
func (s *Service) CreateRound(ctx context.Context, surveyID int64, scheduledAt time.Time, hook RoundHook) (Round, bool, error) {
	var (
		round   Round
		created bool
	)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sv, err := loadSurvey(tx, surveyID)
		if err != nil {
			return err
		}
		if sv.Archived {
			return fault.Conflictf("survey %d is archived", surveyID)
		}
		scheduled := scheduledAt.UTC().Truncate(time.Second)
		round = Round{SurveyID: sv.ID, SurveyVersion: sv.Version, ScheduledAt: scheduled, OpensAt: &scheduled,
			ClosesAt: scheduled.Add(time.Duration(sv.CloseAfterHours) * time.Hour), CreatedAt: s.now()}
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "survey_id"}, {Name: "scheduled_at"}}, DoNothing: true}).Create(&round)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.Where("survey_id = ? AND scheduled_at = ?", sv.ID, scheduled).First(&round).Error
		}
		created = true
		if err := createRoundKey(tx, round.ID); err != nil {
			return err
		}
		if err := snapshotTeams(ctx, tx, round); err != nil {
			return err
		}
		recipients, err := s.snapshotRecipients(ctx, tx, round, sv.Audience)
		if err != nil || hook == nil {
			return err
		}
		if err := hook(ctx, tx, round, recipients); err != nil {
			return err
		}
		return tx.First(&round, round.ID).Error // as the hook left it (see OpenFor)
	})
	return round, created, err
}

// roundTeam is one team of the tree as it stood when a round was sent.
type roundTeam struct {
	RoundID  int64
	TeamID   int64
	ParentID *int64
}

func (roundTeam) TableName() string { return "round_teams" }

func snapshotTeams(ctx context.Context, tx *gorm.DB, round Round) error {
	teams, err := directory.New(tx, time.Now).Teams(ctx)
	if err != nil || len(teams) == 0 {
		return err
	}
	rows := make([]roundTeam, len(teams))
	for i, t := range teams {
		rows[i] = roundTeam{RoundID: round.ID, TeamID: t.ID, ParentID: t.ParentID}
	}
	return tx.CreateInBatches(&rows, 500).Error
}

func (s *Service) snapshotRecipients(ctx context.Context, tx *gorm.DB, round Round, a Audience) ([]Recipient, error) {
	people, err := s.audienceMembers(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	out := make([]Recipient, 0, len(people))
	for _, e := range people {
		out = append(out, Recipient{RoundID: round.ID, EmployeeID: e.ID, TeamID: e.TeamID, OpensAt: &round.ScheduledAt})
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, tx.CreateInBatches(&out, 500).Error
}

// audienceMembers are the active employees a round of audience a would ask
// now: everyone, or the members of its teams and their sub-teams.
func (s *Service) audienceMembers(ctx context.Context, tx *gorm.DB, a Audience) ([]directory.Employee, error) {
	dir := directory.New(tx, s.now)
	people, err := dir.Employees(ctx, directory.EmployeeFilter{ActiveOnly: true, Scope: directory.EveryoneScope()})
	if err != nil || len(a.TeamIDs) == 0 {
		return people, err
	}
	teams, err := dir.TeamSubtree(ctx, a.TeamIDs...)
	if err != nil {
		return nil, err
	}
	set := map[int64]bool{}
	for _, id := range teams {
		set[id] = true
	}
	return slices.DeleteFunc(people, func(e directory.Employee) bool { return e.TeamID == nil || !set[*e.TeamID] }), nil
}

// AudienceSummary is who a round sent now would ask: how many people, and
// in which time zones, the most common first. A zone of "" counts the
// people with no zone of their own, who get the survey in its zone.
type AudienceSummary struct {
	People int        `json:"people"`
	Zones  []ZoneSize `json:"zones"`
}

// ZoneSize is how many people of an audience live in one time zone.
type ZoneSize struct {
	Zone   string `json:"zone"`
	People int    `json:"people"`
}

// Audience sums up who a round for audience a would ask if sent now, for HR
// to see before saving a survey or sending a round. The database counts;
// no employee row is read.
func (s *Service) Audience(ctx context.Context, a Audience) (AudienceSummary, error) {
	db := s.db.WithContext(ctx)
	q := db.Table("employees").Select("timezone AS zone, COUNT(*) AS people").Where("active").Group("timezone")
	if len(a.TeamIDs) > 0 {
		teams, err := directory.New(db, s.now).TeamSubtree(ctx, a.TeamIDs...)
		if err != nil {
			return AudienceSummary{}, err
		}
		q = q.Where("team_id IN ?", teams)
	}
	out := AudienceSummary{Zones: []ZoneSize{}}
	if err := q.Scan(&out.Zones).Error; err != nil {
		return AudienceSummary{}, err
	}
	for _, z := range out.Zones {
		out.People += z.People
	}
	slices.SortFunc(out.Zones, func(x, y ZoneSize) int {
		return cmp.Or(cmp.Compare(y.People, x.People), strings.Compare(x.Zone, y.Zone))
	})
	return out, nil
}

// Round returns a round.
func (s *Service) Round(ctx context.Context, id int64) (Round, error) {
	return loadRound(s.db.WithContext(ctx), id)
}

func loadRound(tx *gorm.DB, id int64) (Round, error) {
	var r Round
	err := tx.First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, fault.NotFound("round")
	}
	return r, err
}

// IsRecipient reports whether the employee was asked in the round.
func (s *Service) IsRecipient(ctx context.Context, roundID, employeeID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Recipient{}).Where("round_id = ? AND employee_id = ?", roundID, employeeID).Count(&n).Error
	return n > 0, err
}

// CloseHook runs inside the transaction that closes a round, the first
// time it closes, so whatever it queues (the "closed" notices) happens once.
type CloseHook func(ctx context.Context, tx *gorm.DB, round Round) error

// CloseRound closes a round now (if still open) and seals it: the key and
// the answer hashes are erased, after which nobody, Pulse included, can
// tell whose answer is whose, and small teams are folded (see sealRound).
func (s *Service) CloseRound(ctx context.Context, id int64, hook CloseHook) (Round, error) {
	var r Round
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		r, err = s.closeRound(ctx, tx, id, s.now(), hook)
		return err
	})
	if err != nil {
		return r, err
	}
	return r, shred(ctx, s.db)
}

// CloseDue closes every round whose close time has passed, and any open
// round whose key is gone, and seals any closed round not sealed yet (those
// closed by an upgrade). It returns the rounds it closed or sealed.
func (s *Service) CloseDue(ctx context.Context, hook CloseHook) ([]Round, error) {
	var due, lost []Round
	db := s.db.WithContext(ctx)
	err := db.Where("(closed_at IS NULL AND closes_at <= ?) OR (closed_at IS NOT NULL AND NOT sealed)", s.now()).
		Order("id").Find(&due).Error
	if err == nil {
		err = db.Where("closed_at IS NULL AND closes_at > ? AND id NOT IN (SELECT round_id FROM round_keys)", s.now()).
			Order("id").Find(&lost).Error
	}
	if err != nil {
		return nil, err
	}
	for _, r := range lost {
		warnKeyLost(ctx, r.ID)
	}
	var closed []Round
	for _, r := range append(due, lost...) {
		err := db.Transaction(func(tx *gorm.DB) error {
			var err error
			r, err = s.closeRound(ctx, tx, r.ID, s.now(), hook)
			return err
		})
		if err != nil {
			return closed, err
		}
		closed = append(closed, r)
	}
	if len(closed) == 0 {
		return closed, nil
	}
	return closed, shred(ctx, s.db)
}

// closeRound closes the round at at (or its close time, if earlier) unless
// it is closed already, and seals it unless sealed already. The round row is
// locked first, so two replicas closing it together close and seal it once.
func (s *Service) closeRound(ctx context.Context, tx *gorm.DB, id int64, at time.Time, hook CloseHook) (Round, error) {
	var r Round
	if err := lockForUpdate(tx).Where("id = ?", id).Limit(1).Find(&r).Error; err != nil {
		return r, err
	}
	if r.ID == 0 {
		return r, fault.NotFound("round")
	}
	if r.ClosedAt == nil {
		if at.After(r.ClosesAt) {
			at = r.ClosesAt
		}
		if err := tx.Model(&Round{}).Where("id = ?", r.ID).Update("closed_at", at).Error; err != nil {
			return r, err
		}
		r.ClosedAt = &at
		if hook != nil {
			if err := hook(ctx, tx, r); err != nil {
				return r, err
			}
		}
	}
	if r.Sealed {
		return r, nil
	}
	if err := s.sealRound(ctx, tx, &r); err != nil {
		return r, err
	}
	// After folding, so each moved comment carries its response's folded team.
	return r, s.moveReplyableComments(tx, r.ID)
}

// SetOpensAt records when the round reaches each recipient, in the
// transaction that created it (see RoundHook).
func SetOpensAt(ctx context.Context, tx *gorm.DB, roundID int64, opens map[int64]time.Time) error {
	byTime := map[time.Time][]int64{} // one update per time zone, not per person
	for employee, at := range opens {
		byTime[at.UTC()] = append(byTime[at.UTC()], employee)
	}
	for at, people := range byTime {
		err := tx.WithContext(ctx).Model(&Recipient{}).Where("round_id = ? AND employee_id IN ?", roundID, people).
			Update("opens_at", at).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// Rounds lists a survey's rounds with their participation, newest first.
func (s *Service) Rounds(ctx context.Context, surveyID int64) ([]RoundStatus, error) {
	if _, err := s.Survey(ctx, surveyID); err != nil {
		return nil, err
	}
	var rounds []Round
	if err := s.db.WithContext(ctx).Where("survey_id = ?", surveyID).Order("scheduled_at DESC").Find(&rounds).Error; err != nil {
		return nil, err
	}
	return s.withParticipation(ctx, rounds)
}

// RoundPage is one page of Rounds and the cursor of the next ("" on the
// last).
func (s *Service) RoundPage(ctx context.Context, surveyID int64, p page.Request) ([]RoundStatus, string, error) {
	if _, err := s.Survey(ctx, surveyID); err != nil {
		return nil, "", err
	}
	q, err := page.Query(s.db.WithContext(ctx).Where("survey_id = ?", surveyID), p,
		page.Order{Column: "scheduled_at", Time: true, Desc: true})
	if err != nil {
		return nil, "", err
	}
	var rounds []Round
	if err := q.Find(&rounds).Error; err != nil {
		return nil, "", err
	}
	rounds, next := page.Cut(rounds, p, func(r Round) (any, int64) { return r.ScheduledAt, r.ID })
	out, err := s.withParticipation(ctx, rounds)
	return out, next, err
}
