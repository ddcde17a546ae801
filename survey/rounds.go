package survey

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
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
}

// OpenAt reports whether answers are still taken at now.
func (r Round) OpenAt(now time.Time) bool { return r.ClosedAt == nil && now.Before(r.ClosesAt) }

// Recipient is one person asked in a round, and whether they answered. It
// is never linked to what they answered.
type Recipient struct {
	RoundID    int64  `json:"round_id"`
	EmployeeID int64  `json:"employee_id"`
	TeamID     *int64 `json:"team_id"`
	Answered   bool   `json:"answered"`
	// OpensAt is when the round reaches this person; until then it is not
	// listed as open to them.
	OpensAt *time.Time `json:"opens_at"`
}

// TableName names the participation table.
func (Recipient) TableName() string { return "round_recipients" }

// RoundStatus is a round with its participation.
type RoundStatus struct {
	Round
	Status        string  `json:"status"` // scheduled, open or closed
	Recipients    int     `json:"recipients"`
	Answered      int     `json:"answered"`
	Participation float64 `json:"participation"`
}

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
	dir := directory.New(tx, s.now)
	people, err := dir.Employees(ctx, directory.EmployeeFilter{ActiveOnly: true, Scope: directory.EveryoneScope()})
	if err != nil {
		return nil, err
	}
	inAudience := func(directory.Employee) bool { return true }
	if len(a.TeamIDs) > 0 {
		teams, err := dir.TeamSubtree(ctx, a.TeamIDs...)
		if err != nil {
			return nil, err
		}
		set := map[int64]bool{}
		for _, id := range teams {
			set[id] = true
		}
		inAudience = func(e directory.Employee) bool { return e.TeamID != nil && set[*e.TeamID] }
	}
	var out []Recipient
	for _, e := range people {
		if inAudience(e) {
			out = append(out, Recipient{RoundID: round.ID, EmployeeID: e.ID, TeamID: e.TeamID, OpensAt: &round.ScheduledAt})
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, tx.CreateInBatches(&out, 500).Error
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

// RoundStatus returns a round with how many were asked and answered.
func (s *Service) RoundStatus(ctx context.Context, id int64) (RoundStatus, error) {
	r, err := s.Round(ctx, id)
	if err != nil {
		return RoundStatus{}, err
	}
	statuses, err := s.withParticipation(ctx, []Round{r})
	if err != nil {
		return RoundStatus{}, err
	}
	return statuses[0], nil
}

// withParticipation adds each round's status and participation, counted in
// one query for all of them.
func (s *Service) withParticipation(ctx context.Context, rounds []Round) ([]RoundStatus, error) {
	ids := make([]int64, len(rounds))
	for i, r := range rounds {
		ids[i] = r.ID
	}
	var counts []struct {
		RoundID int64
		N       int
	}
	byRound := map[int64][2]int{}
	db := s.db.WithContext(ctx)
	err := db.Model(&Recipient{}).Where("round_id IN ?", append(ids, 0)).Group("round_id").
		Select("round_id, COUNT(*) AS n").Scan(&counts).Error
	for _, c := range counts {
		byRound[c.RoundID] = [2]int{c.N, 0}
	}
	// Each respondent has exactly one response, so responses count who answered.
	if err == nil {
		err = db.Model(&Response{}).Where("round_id IN ?", append(ids, 0)).Group("round_id").
			Select("round_id, COUNT(*) AS n").Scan(&counts).Error
	}
	for _, c := range counts {
		byRound[c.RoundID] = [2]int{byRound[c.RoundID][0], c.N}
	}
	out := make([]RoundStatus, len(rounds))
	for i, r := range rounds {
		st := RoundStatus{Round: r, Status: r.StatusAt(s.now()), Recipients: byRound[r.ID][0], Answered: byRound[r.ID][1]}
		if st.Recipients > 0 {
			st.Participation = float64(st.Answered) / float64(st.Recipients)
		}
		out[i] = st
	}
	return out, err
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

// CloseRound closes a round now (if still open) and erases the answer
// hashes, after which nobody, Pulse included, can tell whose answer is whose.
func (s *Service) CloseRound(ctx context.Context, id int64, hook CloseHook) (Round, error) {
	var r Round
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if r, err = loadRound(tx, id); err != nil {
			return err
		}
		return s.closeRound(ctx, tx, &r, s.now(), hook)
	})
	return r, err
}

// CloseDue closes every round whose close time has passed and returns them.
func (s *Service) CloseDue(ctx context.Context, hook CloseHook) ([]Round, error) {
	var due []Round
	err := s.db.WithContext(ctx).Where("closed_at IS NULL AND closes_at <= ?", s.now()).Find(&due).Error
	if err != nil {
		return nil, err
	}
	var closed []Round
	for _, r := range due {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.closeRound(ctx, tx, &r, r.ClosesAt, hook) })
		if err != nil {
			return closed, err
		}
		closed = append(closed, r)
	}
	return closed, nil
}

func (s *Service) closeRound(ctx context.Context, tx *gorm.DB, r *Round, at time.Time, hook CloseHook) error {
	if r.ClosedAt == nil {
		if at.After(r.ClosesAt) {
			at = r.ClosesAt
		}
		res := tx.Model(&Round{}).Where("id = ? AND closed_at IS NULL", r.ID).Update("closed_at", at)
		if res.Error != nil {
			return res.Error
		}
		r.ClosedAt = &at
		// Another replica closing the same round at the same moment finds
		// nothing left to update and does not run the hook again.
		if res.RowsAffected == 1 && hook != nil {
			if err := hook(ctx, tx, *r); err != nil {
				return err
			}
		}
	}
	if err := s.markParticipation(tx, r.ID); err != nil {
		return err
	}
	return tx.Model(&Response{}).Where("round_id = ? AND respondent_hash IS NOT NULL", r.ID).
		Update("respondent_hash", nil).Error
}

// markParticipation writes who answered a closing round, in one statement,
// from the keyed hashes that are about to be erased.
func (s *Service) markParticipation(tx *gorm.DB, roundID int64) error {
	var hashes []string
	if err := tx.Model(&Response{}).Where("round_id = ? AND respondent_hash IS NOT NULL", roundID).
		Pluck("respondent_hash", &hashes).Error; err != nil || len(hashes) == 0 {
		return err
	}
	given := make(map[string]bool, len(hashes))
	for _, h := range hashes {
		given[h] = true
	}
	var people, answered []int64
	if err := tx.Model(&Recipient{}).Where("round_id = ?", roundID).Pluck("employee_id", &people).Error; err != nil {
		return err
	}
	for _, id := range people {
		if given[s.respondentHash(roundID, id)] {
			answered = append(answered, id)
		}
	}
	if len(answered) == 0 {
		return nil
	}
	return tx.Model(&Recipient{}).Where("round_id = ? AND employee_id IN ?", roundID, answered).Update("answered", true).Error
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
