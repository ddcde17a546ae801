package oneonone

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

const maxNoteBody = 20000

// NoteInput writes a note. Visibility is shared or private; private is the
// default, so a note meant for oneself is never shown by mistake.
type NoteInput struct {
	Body       string `json:"body"`
	Visibility string `json:"visibility"`
}

// NotePatch changes a note; nil fields stay.
type NotePatch struct {
	Body       *string `json:"body"`
	Visibility *string `json:"visibility"`
}

func checkVisibility(check *fault.Checker, v string) {
	check.Check(v == Shared || v == Private, "visibility", "must be shared or private")
}

// AddNote writes the viewer's note on a meeting.
func (s *Service) AddNote(ctx context.Context, meetingID, viewerID int64, in NoteInput) (Note, error) {
	if in.Visibility == "" {
		in.Visibility = Private
	}
	var check fault.Checker
	checkText(&check, "body", in.Body, maxNoteBody)
	checkVisibility(&check, in.Visibility)
	if err := check.Err(); err != nil {
		return Note{}, err
	}
	n := Note{MeetingID: meetingID, AuthorID: viewerID, Visibility: in.Visibility, Body: strings.TrimSpace(in.Body),
		CreatedAt: s.now(), UpdatedAt: s.now()}
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		if _, _, err := meetingFor(tx, meetingID, viewerID); err != nil {
			return err
		}
		return s.saveNote(tx, &n)
	})
	return n, err
}

// saveNote stores n with its body sealed, and leaves n holding the text.
func (s *Service) saveNote(tx *gorm.DB, n *Note) error {
	stored := *n
	if err := s.seal(&stored); err != nil {
		return err
	}
	if err := tx.Save(&stored).Error; err != nil {
		return err
	}
	n.ID, n.Encrypted = stored.ID, stored.Encrypted
	return nil
}

// myNote loads a note for its author; to anyone else it does not exist,
// since even a shared note is changed only by whoever wrote it.
func myNote(tx *gorm.DB, noteID, viewerID int64) (Note, error) {
	var n Note
	if err := tx.First(&n, noteID).Error; err != nil {
		return n, notFound(err)
	}
	if _, _, err := meetingFor(tx, n.MeetingID, viewerID); err != nil {
		return Note{}, err
	}
	if n.AuthorID != viewerID {
		if n.Visibility == Private {
			return Note{}, errNotFound
		}
		return Note{}, fault.Forbidden("only the author may change a note")
	}
	return n, nil
}

// UpdateNote changes one of the viewer's notes.
func (s *Service) UpdateNote(ctx context.Context, noteID, viewerID int64, p NotePatch) (Note, error) {
	var n Note
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if n, err = myNote(tx, noteID, viewerID); err != nil {
			return err
		}
		s.open(&n)
		if n.Locked && p.Body == nil {
			return fault.Conflictf("this note is sealed with another key; rewrite its body to change it")
		}
		var check fault.Checker
		if p.Body != nil {
			checkText(&check, "body", *p.Body, maxNoteBody)
			n.Body, n.Locked = strings.TrimSpace(*p.Body), false
		}
		if p.Visibility != nil {
			checkVisibility(&check, *p.Visibility)
			n.Visibility = *p.Visibility
		}
		if err := check.Err(); err != nil {
			return err
		}
		n.UpdatedAt = s.now()
		return s.saveNote(tx, &n)
	})
	return n, err
}

// DeleteNote removes one of the viewer's notes.
func (s *Service) DeleteNote(ctx context.Context, noteID, viewerID int64) (Note, error) {
	var n Note
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if n, err = myNote(tx, noteID, viewerID); err != nil {
			return err
		}
		s.open(&n)
		return tx.Delete(&Note{}, n.ID).Error
	})
	return n, err
}
