// Package oneonone keeps the one-on-ones between a manager and a direct
// report: a series (with an optional cadence), its meetings, the agenda both
// add to, notes (shared with the other participant or private to their
// author) and action items, whose open ones carry over to the next meeting.
//
// Only the two participants of a series ever read it: every method takes the
// viewer's employee id and answers "not found" to anyone else, HR included,
// so the API cannot be used to learn that a series exists. Note bodies are
// sealed with AES-GCM when a notes key is configured. The package never
// imports HTTP or Slack.
package oneonone

import (
	"context"
	"crypto/cipher"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
)

// Meeting statuses.
const (
	StatusScheduled = "scheduled"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
)

// Note visibilities.
const (
	Shared  = "shared"  // both participants read it
	Private = "private" // only its author reads it
)

// Series is the standing one-on-one between a manager and one direct report.
type Series struct {
	ID        int64            `json:"id"`
	ManagerID int64            `json:"manager_id"`
	ReportID  int64            `json:"report_id"`
	Cadence   *cadence.Cadence `json:"cadence" gorm:"serializer:json"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	// ManagerName and ReportName are filled in for display.
	ManagerName string `json:"manager_name" gorm:"-"`
	ReportName  string `json:"report_name" gorm:"-"`
	// NextMeeting is the earliest scheduled meeting not yet past, if any.
	NextMeeting *Meeting `json:"next_meeting" gorm:"-"`
}

func (Series) TableName() string { return "one_on_one_series" }

// has reports whether employee takes part in the series.
func (s Series) has(employeeID int64) bool {
	return employeeID == s.ManagerID || employeeID == s.ReportID
}

// Meeting is one occurrence of a series.
type Meeting struct {
	ID          int64     `json:"id"`
	SeriesID    int64     `json:"series_id"`
	ScheduledAt time.Time `json:"scheduled_at"`
	Title       string    `json:"title"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (Meeting) TableName() string { return "one_on_one_meetings" }

// AgendaItem is a topic either participant put on a meeting's agenda.
type AgendaItem struct {
	ID        int64     `json:"id"`
	MeetingID int64     `json:"meeting_id"`
	AuthorID  int64     `json:"author_id"`
	Text      string    `json:"text"`
	Done      bool      `json:"done"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (AgendaItem) TableName() string { return "one_on_one_agenda_items" }

// Note is what a participant wrote down at a meeting.
type Note struct {
	ID         int64  `json:"id"`
	MeetingID  int64  `json:"meeting_id"`
	AuthorID   int64  `json:"author_id"`
	Visibility string `json:"visibility"`
	Body       string `json:"body"`
	// Encrypted says Body is sealed in the database.
	Encrypted bool `json:"-"`
	// Locked: the body is sealed and cannot be opened with the configured
	// key (PULSE_NOTES_KEY unset or changed); Body is then empty.
	Locked    bool      `json:"locked,omitempty" gorm:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (Note) TableName() string { return "one_on_one_notes" }

// ActionItem is a follow-up owned by one of the two participants. It sits on
// one meeting at a time: open items move on when their meeting is over.
type ActionItem struct {
	ID              int64      `json:"id"`
	SeriesID        int64      `json:"series_id"`
	MeetingID       int64      `json:"meeting_id"`
	OriginMeetingID int64      `json:"origin_meeting_id"`
	OwnerID         int64      `json:"owner_id"`
	Text            string     `json:"text"`
	DueOn           *string    `json:"due_on"`
	Done            bool       `json:"done"`
	DoneAt          *time.Time `json:"done_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	// CarriedOver: the item was made at an earlier meeting.
	CarriedOver bool `json:"carried_over" gorm:"-"`
}

func (ActionItem) TableName() string { return "one_on_one_action_items" }

// MeetingHook runs inside the transaction that schedules (or moves) a
// meeting, so its Slack reminders are queued exactly when it exists.
type MeetingHook func(ctx context.Context, tx *gorm.DB, series Series, m Meeting) error

// Service reads and changes one-on-ones.
type Service struct {
	db    *gorm.DB
	now   func() time.Time
	notes cipher.AEAD // nil: note bodies are stored as written
}

// New returns a Service over db; now is the clock. A non-empty notesKey
// (PULSE_NOTES_KEY) seals note bodies at rest; without it they are stored
// in plain text.
func New(db *gorm.DB, now func() time.Time, notesKey []byte) *Service {
	s := &Service{db: db, now: func() time.Time { return now().UTC() }}
	if len(notesKey) > 0 {
		s.notes = notesCipher(notesKey)
	}
	return s
}

// EncryptsNotes reports whether note bodies are sealed at rest.
func (s *Service) EncryptsNotes() bool { return s.notes != nil }

var errNotFound = fault.NotFound("one-on-one")

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound
	}
	return err
}

func (s *Service) withTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}

// seriesFor loads a series the viewer takes part in; anyone else gets the
// same "not found" as for a series that does not exist.
func seriesFor(tx *gorm.DB, seriesID, viewerID int64) (Series, error) {
	var sr Series
	if err := tx.First(&sr, seriesID).Error; err != nil {
		return sr, notFound(err)
	}
	if !sr.has(viewerID) {
		return Series{}, errNotFound
	}
	return sr, nil
}

// meetingFor loads a meeting of a series the viewer takes part in.
func meetingFor(tx *gorm.DB, meetingID, viewerID int64) (Meeting, Series, error) {
	var m Meeting
	if err := tx.First(&m, meetingID).Error; err != nil {
		return m, Series{}, notFound(err)
	}
	sr, err := seriesFor(tx, m.SeriesID, viewerID)
	if err != nil {
		return Meeting{}, Series{}, err
	}
	return m, sr, nil
}
