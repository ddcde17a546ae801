package survey

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// AssignedRound is a round as the person asked in it sees it.
type AssignedRound struct {
	Round
	SurveyTitle string `json:"survey_title"`
	Locale      string `json:"locale"`
	ScaleMin    int    `json:"scale_min"`
	// SurveyZone is the survey's cadence zone, for people without one of
	// their own; empty when it has no cadence.
	SurveyZone string     `json:"-"`
	Questions  []Question `json:"questions"`
	Answered   bool       `json:"answered"`
	// Open is true until the round closes; Status also says whether it has
	// reached this person yet ("scheduled" before their own OpensAt).
	Open    bool       `json:"open"`
	Status  string     `json:"status"`
	OpensAt *time.Time `json:"opens_at"` // when it reaches this person
}

// AssignedRound returns a round for one of its recipients, or not-found for
// anyone else, so the route cannot be used to probe rounds.
func (s *Service) AssignedRound(ctx context.Context, roundID, employeeID int64) (AssignedRound, error) {
	tx := s.db.WithContext(ctx)
	var rows []Recipient
	if err := tx.Where("round_id = ? AND employee_id = ?", roundID, employeeID).Limit(1).Find(&rows).Error; err != nil {
		return AssignedRound{}, err
	}
	if len(rows) == 0 {
		return AssignedRound{}, fault.NotFound("round")
	}
	out, err := s.assigned(tx, rows)
	if err != nil {
		return AssignedRound{}, err
	}
	return out[0], nil
}

// OpenRoundsFor lists the open rounds an employee was asked in that have
// reached them, oldest first. However many there are, it reads them in the
// same six queries.
func (s *Service) OpenRoundsFor(ctx context.Context, employeeID int64) ([]AssignedRound, error) {
	tx := s.db.WithContext(ctx)
	var rows []Recipient
	err := tx.Joins("JOIN rounds ON rounds.id = round_recipients.round_id").
		Where("round_recipients.employee_id = ? AND rounds.closed_at IS NULL AND rounds.closes_at > ?", employeeID, s.now()).
		Where("round_recipients.opens_at IS NULL OR round_recipients.opens_at <= ?", s.now()).
		Order("rounds.scheduled_at").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	return s.assigned(tx, rows)
}

// assigned describes each recipient row's round to that recipient, reading
// rounds, surveys, questions, round keys and answers once for all of them.
func (s *Service) assigned(tx *gorm.DB, rows []Recipient) ([]AssignedRound, error) {
	out := make([]AssignedRound, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	rounds, err := roundsByID(tx, rows)
	if err != nil {
		return nil, err
	}
	surveys, questions, err := surveysOf(tx, rounds)
	if err != nil {
		return nil, err
	}
	answered, err := s.answeredAmong(tx, rows, rounds)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, rc := range rows {
		r := rounds[rc.RoundID]
		sv := surveys[r.SurveyID]
		a := AssignedRound{Round: r, SurveyTitle: sv.Title, Locale: sv.Locale, ScaleMin: sv.ScaleMin, SurveyZone: cadenceZone(sv),
			Questions: questions[versionKey{r.SurveyID, r.SurveyVersion}], Answered: answered[rc.RoundID],
			Open: r.OpenAt(now), OpensAt: rc.OpensAt}
		a.Status = Round{ClosesAt: r.ClosesAt, ClosedAt: r.ClosedAt, OpensAt: rc.OpensAt}.StatusAt(now)
		if a.Questions == nil {
			a.Questions = []Question{}
		}
		out = append(out, a)
	}
	return out, nil
}

func roundsByID(tx *gorm.DB, rows []Recipient) (map[int64]Round, error) {
	ids := make([]int64, len(rows))
	for i, rc := range rows {
		ids[i] = rc.RoundID
	}
	var rounds []Round
	if err := tx.Where("id IN ?", ids).Find(&rounds).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]Round, len(rounds))
	for _, r := range rounds {
		out[r.ID] = r
	}
	return out, nil
}

type versionKey struct {
	surveyID int64
	version  int
}

// surveysOf reads the rounds' surveys and every version of their questions.
func surveysOf(tx *gorm.DB, rounds map[int64]Round) (map[int64]Survey, map[versionKey][]Question, error) {
	ids := make([]int64, 0, len(rounds))
	for _, r := range rounds {
		ids = append(ids, r.SurveyID)
	}
	var svs []Survey
	if err := tx.Where("id IN ?", ids).Find(&svs).Error; err != nil {
		return nil, nil, err
	}
	var qs []Question
	if err := tx.Where("survey_id IN ?", ids).Order("position").Find(&qs).Error; err != nil {
		return nil, nil, err
	}
	surveys := make(map[int64]Survey, len(svs))
	for _, sv := range svs {
		surveys[sv.ID] = sv
	}
	questions := map[versionKey][]Question{}
	for _, q := range qs {
		q.Options = nonNil(q.Options)
		k := versionKey{q.SurveyID, q.Version}
		questions[k] = append(questions[k], q)
	}
	return surveys, questions, nil
}

// answeredAmong tells, per round, whether its recipient has answered: from
// the keyed hashes while a round is open, with every round's key read in one
// query and every hash looked up in one more. Of a closed round nothing is
// kept that could tell.
func (s *Service) answeredAmong(tx *gorm.DB, rows []Recipient, rounds map[int64]Round) (map[int64]bool, error) {
	out := map[int64]bool{}
	var open []int64
	for _, rc := range rows {
		if rounds[rc.RoundID].ClosedAt == nil {
			open = append(open, rc.RoundID)
		}
	}
	if len(open) == 0 {
		return out, nil
	}
	keys, err := loadRoundKeys(tx, open)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var hashes []string
	for _, rc := range rows {
		if key := keys[rc.RoundID]; len(key) > 0 && rounds[rc.RoundID].ClosedAt == nil {
			ids, hashes = append(ids, rc.RoundID), append(hashes, respondentHash(key, rc.RoundID, rc.EmployeeID))
		}
	}
	if len(hashes) == 0 {
		return out, nil // keys lost: the round is about to close
	}
	var found []Response
	if err := tx.Select("round_id").Where("round_id IN ? AND respondent_hash IN ?", ids, hashes).Find(&found).Error; err != nil {
		return nil, err
	}
	for _, r := range found {
		out[r.RoundID] = true
	}
	return out, nil
}

// cadenceZone is the zone of a survey's schedule, empty when it has none.
func cadenceZone(sv Survey) string {
	if sv.Cadence == nil {
		return ""
	}
	return sv.Cadence.Timezone
}
