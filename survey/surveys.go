package survey

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// MaxQuestions is the most questions a pulse survey may have: pulses stay short.
const MaxQuestions = 10

// DefaultCloseAfter is how long a round stays open unless the survey says otherwise.
const DefaultCloseAfter = 5 * 24 * time.Hour

// Audience is who a survey goes to: everyone when TeamIDs is empty, else the
// members of those teams and of their sub-teams.
type Audience struct {
	TeamIDs []int64 `json:"team_ids"`
}

// Question is one question of one version of a survey.
type Question struct {
	ID       int64    `json:"id"`
	SurveyID int64    `json:"-"`
	Version  int      `json:"-"`
	Position int      `json:"-"`
	Kind     string   `json:"kind"`
	Prompt   string   `json:"prompt"`
	Options  []string `json:"options" gorm:"serializer:json"`
}

// Survey is a pulse survey as HR configured it, with its current questions.
type Survey struct {
	ID              int64            `json:"id"`
	Title           string           `json:"title"`
	Locale          string           `json:"locale"`
	Audience        Audience         `json:"audience" gorm:"-"`
	AudienceTeamIDs []int64          `json:"-" gorm:"column:audience_team_ids;serializer:json"`
	ScaleMin        int              `json:"scale_min"`
	Cadence         *cadence.Cadence `json:"cadence" gorm:"serializer:json"`
	// CadenceSince is when the cadence was last set or resumed; earlier
	// occurrences are never sent.
	CadenceSince    *time.Time `json:"-"`
	CloseAfterHours int        `json:"close_after_hours"`
	ReminderDays    []int      `json:"reminder_days" gorm:"serializer:json"`
	Version         int        `json:"version"`
	Archived        bool       `json:"archived"`
	Questions       []Question `json:"questions" gorm:"-"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// QuestionInput is a question as HR writes it.
type QuestionInput struct {
	Kind    string   `json:"kind"`
	Prompt  string   `json:"prompt"`
	Options []string `json:"options,omitempty"`
}

// SurveyInput creates a survey; the same shape replaces one in an update,
// where nil fields stay as they are.
type SurveyInput struct {
	Title           *string          `json:"title"`
	Locale          *string          `json:"locale"`
	Audience        *Audience        `json:"audience"`
	ScaleMin        *int             `json:"scale_min"`
	Cadence         *cadence.Cadence `json:"cadence"`
	CloseAfterHours *int             `json:"close_after_hours"`
	ReminderDays    []int            `json:"reminder_days"`
	Questions       []QuestionInput  `json:"questions"`
}

// Service holds surveys, rounds and answers.
type Service struct {
	db        *gorm.DB
	now       func() time.Time
	secret    []byte
	questions *sentQuestions
	commits   *committer // nil: each answer commits alone
}

// NewService returns the survey service over db. secret keys the answer
// hashes; it must never be stored in the database.
func NewService(db *gorm.DB, now func() time.Time, secret []byte) *Service {
	return &Service{db: db, now: func() time.Time { return now().UTC() }, secret: secret, questions: &sentQuestions{}}
}

// WithTx returns a service that works inside tx, for callers that must
// write a round together with rows of their own (the scheduler's jobs).
func (s *Service) WithTx(tx *gorm.DB) *Service {
	return &Service{db: tx, now: s.now, secret: s.secret, questions: s.questions}
}

// CreateSurvey validates and stores a new survey.
func (s *Service) CreateSurvey(ctx context.Context, in SurveyInput) (Survey, error) {
	sv := Survey{Locale: "en", ScaleMin: 1, CloseAfterHours: int(DefaultCloseAfter / time.Hour),
		ReminderDays: []int{2, 4}, Version: 1, Audience: Audience{TeamIDs: []int64{}}}
	in.applyTo(&sv)
	if in.Questions == nil {
		in.Questions = []QuestionInput{}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := validateSurvey(tx, sv, in.Questions, s.now()); err != nil {
			return err
		}
		sv.CreatedAt, sv.UpdatedAt = s.now(), s.now()
		sv.AudienceTeamIDs = sv.Audience.TeamIDs
		if sv.Cadence != nil {
			now := s.now()
			sv.CadenceSince = &now
		}
		if err := tx.Create(&sv).Error; err != nil {
			return err
		}
		var err error
		sv.Questions, err = insertQuestions(tx, sv.ID, sv.Version, in.Questions)
		return err
	})
	return sv, err
}

// UpdateSurvey changes a survey. New questions replace the current ones in
// place while no round has used them; once one has, they become a new
// version so old rounds keep the questions they were asked.
func (s *Service) UpdateSurvey(ctx context.Context, id int64, in SurveyInput) (Survey, error) {
	var sv Survey
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if sv, err = loadSurvey(tx, id); err != nil {
			return err
		}
		if sv.Archived {
			return fault.Conflictf("survey %d is archived", id)
		}
		before := sv.Cadence
		in.applyTo(&sv)
		if cadenceRestarted(before, sv.Cadence) {
			now := s.now()
			sv.CadenceSince = &now
		}
		questions := in.Questions
		if questions == nil {
			questions = inputsOf(sv.Questions)
		}
		if err := validateSurvey(tx, sv, questions, s.now()); err != nil {
			return err
		}
		if in.Questions != nil && !slices.EqualFunc(questions, inputsOf(sv.Questions), sameQuestion) {
			if sv.Questions, sv.Version, err = replaceQuestions(tx, sv, questions); err != nil {
				return err
			}
		}
		sv.UpdatedAt = s.now()
		sv.AudienceTeamIDs = sv.Audience.TeamIDs
		return tx.Select("*").Omit("created_at").Save(&sv).Error
	})
	return sv, err
}

// cadenceRestarted reports whether a cadence was set, changed or resumed,
// after which only occurrences from now on are sent.
func cadenceRestarted(before, after *cadence.Cadence) bool {
	if after == nil || after.Paused {
		return false
	}
	return before == nil || *before != *after
}

// Scheduled lists the surveys that have a cadence and are not archived.
func (s *Service) Scheduled(ctx context.Context) ([]Survey, error) {
	var out []Survey
	err := s.db.WithContext(ctx).Where("cadence IS NOT NULL AND NOT archived").Order("id").Find(&out).Error
	for i := range out {
		out[i].Audience = Audience{TeamIDs: nonNil(out[i].AudienceTeamIDs)}
	}
	return out, err
}

// ArchiveSurvey stops a survey for good: no more rounds. Results stay.
func (s *Service) ArchiveSurvey(ctx context.Context, id int64) (Survey, error) {
	var sv Survey
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if sv, err = loadSurvey(tx, id); err != nil {
			return err
		}
		sv.Archived, sv.UpdatedAt = true, s.now()
		return tx.Model(&Survey{}).Where("id = ?", id).Updates(map[string]any{"archived": true, "updated_at": sv.UpdatedAt}).Error
	})
	return sv, err
}

// Survey returns a survey with its current questions.
func (s *Service) Survey(ctx context.Context, id int64) (Survey, error) {
	return loadSurvey(s.db.WithContext(ctx), id)
}

// Surveys lists every survey, newest first.
func (s *Service) Surveys(ctx context.Context) ([]Survey, error) {
	db := s.db.WithContext(ctx)
	var out []Survey
	if err := db.Order("id DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	return withQuestions(db, out)
}

// SurveyPage is one page of Surveys and the cursor of the next ("" on the
// last).
func (s *Service) SurveyPage(ctx context.Context, p page.Request) ([]Survey, string, error) {
	db := s.db.WithContext(ctx)
	q, err := page.Query(db, p, page.Order{Desc: true})
	if err != nil {
		return nil, "", err
	}
	var out []Survey
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(sv Survey) (any, int64) { return nil, sv.ID })
	out, err = withQuestions(db, out)
	return out, next, err
}

// withQuestions fills in the current questions and audience of surveys.
func withQuestions(db *gorm.DB, out []Survey) ([]Survey, error) {
	ids := make([]int64, len(out))
	for i, sv := range out {
		ids[i] = sv.ID
	}
	var questions []Question // every version's, in one query; the current ones are kept
	if err := db.Where("survey_id IN ?", append(ids, 0)).Order("survey_id, version, position").Find(&questions).Error; err != nil {
		return nil, err
	}
	current, versions := map[int64][]Question{}, map[int64]int{}
	for _, sv := range out {
		current[sv.ID], versions[sv.ID] = []Question{}, sv.Version
	}
	for _, q := range questions {
		if versions[q.SurveyID] == q.Version {
			q.Options = nonNil(q.Options)
			current[q.SurveyID] = append(current[q.SurveyID], q)
		}
	}
	for i := range out {
		out[i].Questions = current[out[i].ID]
		out[i].Audience = Audience{TeamIDs: nonNil(out[i].AudienceTeamIDs)}
	}
	return out, nil
}

func loadSurvey(tx *gorm.DB, id int64) (Survey, error) {
	var sv Survey
	if err := tx.First(&sv, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return sv, fault.NotFound("survey")
		}
		return sv, err
	}
	sv.Audience = Audience{TeamIDs: nonNil(sv.AudienceTeamIDs)}
	qs, err := questionsOf(tx, sv.ID, sv.Version)
	sv.Questions = qs
	return sv, err
}

func questionsOf(tx *gorm.DB, surveyID int64, version int) ([]Question, error) {
	var qs []Question
	err := tx.Where("survey_id = ? AND version = ?", surveyID, version).Order("position").Find(&qs).Error
	for i := range qs {
		qs[i].Options = nonNil(qs[i].Options)
	}
	return qs, err
}

func insertQuestions(tx *gorm.DB, surveyID int64, version int, in []QuestionInput) ([]Question, error) {
	qs := make([]Question, len(in))
	for i, q := range in {
		qs[i] = Question{SurveyID: surveyID, Version: version, Position: i + 1, Kind: q.Kind,
			Prompt: q.Prompt, Options: nonNil(q.Options)}
	}
	if len(qs) == 0 {
		return qs, nil
	}
	return qs, tx.Create(&qs).Error
}

func replaceQuestions(tx *gorm.DB, sv Survey, in []QuestionInput) ([]Question, int, error) {
	var used int64
	if err := tx.Model(&Round{}).Where("survey_id = ? AND survey_version = ?", sv.ID, sv.Version).Count(&used).Error; err != nil {
		return nil, 0, err
	}
	version := sv.Version
	if used > 0 {
		version++
	} else if err := tx.Where("survey_id = ? AND version = ?", sv.ID, version).Delete(&Question{}).Error; err != nil {
		return nil, 0, err
	}
	qs, err := insertQuestions(tx, sv.ID, version, in)
	return qs, version, err
}

func (in SurveyInput) applyTo(sv *Survey) {
	if in.Title != nil {
		sv.Title = trim(*in.Title)
	}
	if in.Locale != nil {
		sv.Locale = trim(*in.Locale)
	}
	if in.Audience != nil {
		sv.Audience = Audience{TeamIDs: nonNil(in.Audience.TeamIDs)}
	}
	if in.ScaleMin != nil {
		sv.ScaleMin = *in.ScaleMin
	}
	if in.Cadence != nil {
		sv.Cadence = in.Cadence
	}
	if in.CloseAfterHours != nil {
		sv.CloseAfterHours = *in.CloseAfterHours
	}
	if in.ReminderDays != nil {
		sv.ReminderDays = in.ReminderDays
	}
	for i := range in.Questions {
		in.Questions[i].Prompt = trim(in.Questions[i].Prompt)
		in.Questions[i].Kind = trim(in.Questions[i].Kind)
	}
}

func inputsOf(qs []Question) []QuestionInput {
	out := make([]QuestionInput, len(qs))
	for i, q := range qs {
		out[i] = QuestionInput{Kind: q.Kind, Prompt: q.Prompt, Options: q.Options}
	}
	return out
}

func sameQuestion(a, b QuestionInput) bool {
	return a.Kind == b.Kind && a.Prompt == b.Prompt && slices.Equal(nonNil(a.Options), nonNil(b.Options))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
