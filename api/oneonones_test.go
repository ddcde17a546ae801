package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

const testNotesKey = "test-notes-key-test-notes-key-0123456789"

type idOnly struct {
	ID int64 `json:"id"`
}

type meetingView struct {
	ID     int64
	Status string
	Agenda []struct {
		ID   int64
		Text string
		Done bool
	}
	Notes []struct {
		ID         int64
		Body       string
		Visibility string
		AuthorID   int64 `json:"author_id"`
	}
	ActionItems     []itemView `json:"action_items"`
	OpenFromEarlier []itemView `json:"open_from_earlier"`
}

type itemView struct {
	ID          int64
	Text        string
	Done        bool
	MeetingID   int64 `json:"meeting_id"`
	CarriedOver bool  `json:"carried_over"`
}

// oneOnOne starts the manager's series with their report and one meeting.
func (b *bundle) oneOnOne(t *testing.T) (series, meeting int64) {
	t.Helper()
	var sr idOnly
	res := b.do("POST", "/api/v1/one-on-ones", b.managerToken, map[string]any{"report_id": b.employee.ID})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	res.data(t, &sr)
	return sr.ID, b.meeting(t, sr.ID, "2026-12-01T09:00:00Z")
}

func (b *bundle) meeting(t *testing.T, series int64, at string) int64 {
	t.Helper()
	var m idOnly
	res := b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", series), b.employeeToken, map[string]any{"scheduled_at": at})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	res.data(t, &m)
	return m.ID
}

func (b *bundle) created(t *testing.T, path, token string, body any) int64 {
	t.Helper()
	res := b.do("POST", path, token, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var v idOnly
	res.data(t, &v)
	return v.ID
}

func (b *bundle) meetingView(t *testing.T, meeting int64, token string) meetingView {
	t.Helper()
	res := b.do("GET", fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", meeting), token, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var v meetingView
	res.data(t, &v)
	return v
}

func TestOneOnOnesAreReadOnlyByTheirParticipants(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		series, meeting := b.oneOnOne(t)
		mpath := fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", meeting)
		agenda := b.created(t, mpath+"/agenda", b.employeeToken, map[string]any{"text": "Career path"})
		shared := b.created(t, mpath+"/notes", b.managerToken, map[string]any{"body": "Agreed on Q1 goals", "visibility": "shared"})
		private := b.created(t, mpath+"/notes", b.managerToken, map[string]any{"body": "Seems tired lately"})
		item := b.created(t, mpath+"/action-items", b.managerToken,
			map[string]any{"text": "Draft Q1 plan", "owner_id": b.employee.ID, "due_on": "2026-12-05"})

		otherBoss := b.person("boss2@example.com", directory.RoleManager, &b.other.ID, nil)
		b.person("dev2@example.com", directory.RoleEmployee, &b.other.ID, &otherBoss.ID)
		strangers := map[string]string{"hr": b.hrToken, "another manager": b.token(otherBoss), "a third person": b.token(b.outsider)}
		for who, token := range strangers {
			done, edit := map[string]any{"done": true}, map[string]any{"body": "x"}
			for _, call := range []struct {
				method, path string
				body         any
			}{
				{"GET", fmt.Sprintf("/api/v1/one-on-ones/%d", series), nil},
				{"GET", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", series), nil},
				{"GET", fmt.Sprintf("/api/v1/one-on-ones/%d/action-items", series), nil},
				{"POST", fmt.Sprintf("/api/v1/one-on-ones/%d/carry-over", series), nil},
				{"GET", mpath, nil},
				{"PATCH", mpath, map[string]any{"status": "cancelled"}},
				{"POST", mpath + "/complete", nil},
				{"PATCH", fmt.Sprintf("/api/v1/one-on-ones/agenda/%d", agenda), done},
				{"PATCH", fmt.Sprintf("/api/v1/one-on-ones/notes/%d", shared), edit},
				{"DELETE", fmt.Sprintf("/api/v1/one-on-ones/notes/%d", private), nil},
				{"PATCH", fmt.Sprintf("/api/v1/one-on-ones/action-items/%d", item), done},
				{"POST", fmt.Sprintf("/api/v1/one-on-ones/action-items/%d/done", item), nil},
				{"DELETE", fmt.Sprintf("/api/v1/one-on-ones/action-items/%d", item), nil},
			} {
				res := b.do(call.method, call.path, token, call.body)
				require.Equal(t, http.StatusNotFound, res.Status, "%s: %s %s: %s", who, call.method, call.path, res.Body)
			}
			var list []oneonone.Series
			b.do("GET", "/api/v1/one-on-ones", token, nil).data(t, &list)
			require.Empty(t, list, who)
			res := b.do("POST", mpath+"/notes", token, map[string]any{"body": "snooping", "visibility": "shared"})
			require.Equal(t, http.StatusNotFound, res.Status, who)
		}

		// Private notes are the author's alone.
		mine := b.meetingView(t, meeting, b.managerToken)
		require.Len(t, mine.Notes, 2)
		theirs := b.meetingView(t, meeting, b.employeeToken)
		require.Len(t, theirs.Notes, 1)
		require.Equal(t, "Agreed on Q1 goals", theirs.Notes[0].Body)
		require.Len(t, theirs.Agenda, 1)
		require.Len(t, theirs.ActionItems, 1)
		require.Equal(t, http.StatusNotFound, b.do("PATCH", fmt.Sprintf("/api/v1/one-on-ones/notes/%d", private), b.employeeToken,
			map[string]any{"body": "x"}).Status)
		require.Equal(t, http.StatusForbidden, b.do("PATCH", fmt.Sprintf("/api/v1/one-on-ones/notes/%d", shared), b.employeeToken,
			map[string]any{"body": "x"}).Status, "a shared note is changed only by its author")

		// Both participants list the series; ticking the agenda works for either.
		var list []oneonone.Series
		b.do("GET", "/api/v1/one-on-ones", b.employeeToken, nil).data(t, &list)
		require.Len(t, list, 1)
		require.Equal(t, "boss", list[0].ManagerName)
		require.NotNil(t, list[0].NextMeeting)
		res := b.do("PATCH", fmt.Sprintf("/api/v1/one-on-ones/agenda/%d", agenda), b.managerToken, map[string]any{"done": true})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.True(t, b.meetingView(t, meeting, b.employeeToken).Agenda[0].Done)
	})
}

func TestOneOnOneInputIsValidated(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		fields := func(res string, r response) []string {
			require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s: %s", res, r.Body)
			var out []string
			for _, d := range r.err(t).Error.Details {
				out = append(out, d.Field)
			}
			return out
		}
		require.Equal(t, []string{"report_id"}, fields("not my report",
			b.do("POST", "/api/v1/one-on-ones", b.managerToken, map[string]any{"report_id": b.outsider.ID})))
		require.Equal(t, []string{"report_id"}, fields("my manager is not my report",
			b.do("POST", "/api/v1/one-on-ones", b.employeeToken, map[string]any{"report_id": b.manager.ID})))
		require.Contains(t, fields("bad cadence", b.do("POST", "/api/v1/one-on-ones", b.managerToken,
			map[string]any{"report_id": b.employee.ID, "cadence": map[string]any{"kind": "weekly", "timezone": "Mars/Base"}})),
			"cadence.timezone")

		series, meeting := b.oneOnOne(t)
		require.Equal(t, http.StatusConflict,
			b.do("POST", "/api/v1/one-on-ones", b.managerToken, map[string]any{"report_id": b.employee.ID}).Status)
		require.Equal(t, []string{"scheduled_at"}, fields("no time and no cadence",
			b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", series), b.managerToken, map[string]any{"title": "x"})))
		mpath := fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", meeting)
		require.Equal(t, []string{"text", "owner_id", "due_on"}, fields("bad item",
			b.do("POST", mpath+"/action-items", b.managerToken, map[string]any{"text": " ", "owner_id": b.outsider.ID, "due_on": "soon"})))
		require.Equal(t, []string{"body", "visibility"}, fields("bad note",
			b.do("POST", mpath+"/notes", b.managerToken, map[string]any{"body": "", "visibility": "public"})))
		require.Equal(t, []string{"status"}, fields("bad status",
			b.do("PATCH", mpath, b.managerToken, map[string]any{"status": "completed"})))
	})
}

func TestWeeklySeriesSuggestsTheNextMeeting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var sr idOnly
		b.do("POST", "/api/v1/one-on-ones", b.managerToken, map[string]any{"report_id": b.employee.ID,
			"cadence": map[string]any{"kind": "weekly", "weekday": "tuesday", "time": "10:00", "timezone": "Europe/Berlin"}}).data(t, &sr)
		var m oneonone.Meeting
		res := b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", sr.ID), b.managerToken, map[string]any{})
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
		res.data(t, &m)
		require.Equal(t, "2026-12-01T09:00:00Z", m.ScheduledAt.UTC().Format("2006-01-02T15:04:05Z"), "Tuesday 10:00 in Berlin")
		require.Equal(t, "1:1", m.Title)

		res = b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", sr.ID), b.managerToken, map[string]any{})
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
		res.data(t, &m)
		require.Equal(t, "2026-12-08T09:00:00Z", m.ScheduledAt.UTC().Format("2006-01-02T15:04:05Z"),
			"asking again books the following slot, not the same one twice")

		res = b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", sr.ID), b.managerToken,
			map[string]any{"scheduled_at": "2026-12-08T09:00:00Z"})
		require.Equal(t, http.StatusConflict, res.Status, "two meetings of one 1:1 at the same time")
	})
}

func TestOpenActionItemsCarryOverToTheNextMeeting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		series, first := b.oneOnOne(t)
		second := b.meeting(t, series, "2026-12-08T09:00:00Z")
		fpath := fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", first)
		open := b.created(t, fpath+"/action-items", b.managerToken, map[string]any{"text": "Share the deck", "owner_id": b.manager.ID})
		done := b.created(t, fpath+"/action-items", b.employeeToken, map[string]any{"text": "Book training", "owner_id": b.employee.ID})
		require.Equal(t, http.StatusOK, b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/action-items/%d/done", done), b.employeeToken, nil).Status)

		// Before the first meeting is over, the next one already shows what is open.
		next := b.meetingView(t, second, b.employeeToken)
		require.Empty(t, next.ActionItems)
		require.Len(t, next.OpenFromEarlier, 1)
		require.Equal(t, open, next.OpenFromEarlier[0].ID)

		for range 2 { // completing twice moves nothing twice
			res := b.do("POST", fpath+"/complete", b.managerToken, nil)
			require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		}
		next = b.meetingView(t, second, b.employeeToken)
		require.Len(t, next.ActionItems, 1)
		require.Equal(t, open, next.ActionItems[0].ID)
		require.True(t, next.ActionItems[0].CarriedOver)
		require.Empty(t, next.OpenFromEarlier)
		past := b.meetingView(t, first, b.managerToken)
		require.Equal(t, "completed", past.Status)
		require.Len(t, past.ActionItems, 1, "the done item stays where it was done")
		require.Equal(t, done, past.ActionItems[0].ID)

		var moved struct{ Moved int64 }
		b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/%d/carry-over", series), b.employeeToken, nil).data(t, &moved)
		require.Zero(t, moved.Moved)

		// With no meeting after it, an open item waits and moves once one is scheduled.
		require.Equal(t, http.StatusOK, b.do("POST", fmt.Sprintf("/api/v1/one-on-ones/meetings/%d/complete", second), b.employeeToken, nil).Status)
		require.Len(t, b.meetingView(t, second, b.employeeToken).ActionItems, 1)
		third := b.meeting(t, series, "2026-12-15T09:00:00Z")
		require.Len(t, b.meetingView(t, third, b.employeeToken).ActionItems, 1)

		var items []itemView
		b.do("GET", fmt.Sprintf("/api/v1/one-on-ones/%d/action-items?open=true", series), b.managerToken, nil).data(t, &items)
		require.Len(t, items, 1)
		require.Equal(t, third, items[0].MeetingID)
	})
}

func TestNoteBodiesAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, meeting := b.oneOnOne(t)
		mpath := fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", meeting)
		note := b.created(t, mpath+"/notes", b.managerToken, map[string]any{"body": "Talked about a promotion", "visibility": "shared"})
		res := b.do("PATCH", fmt.Sprintf("/api/v1/one-on-ones/notes/%d", note), b.managerToken, map[string]any{"body": "Promotion in March"})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))

		var raw []struct {
			Body      string
			Encrypted bool
		}
		require.NoError(t, db.Gorm.Table("one_on_one_notes").Select("body, encrypted").Scan(&raw).Error)
		require.Len(t, raw, 1)
		require.True(t, raw[0].Encrypted)
		require.NotContains(t, raw[0].Body, "romotion")
		require.Equal(t, "Promotion in March", b.meetingView(t, meeting, b.employeeToken).Notes[0].Body)

		// Without PULSE_NOTES_KEY bodies are kept as written; a wrong key
		// shows a sealed note as locked rather than failing.
		plain := oneonone.New(db.Gorm, func() time.Time { return b.now }, nil)
		n, err := plain.AddNote(t.Context(), meeting, b.employee.ID, oneonone.NoteInput{Body: "Plain words", Visibility: "shared"})
		require.NoError(t, err)
		var body string
		require.NoError(t, db.Gorm.Table("one_on_one_notes").Where("id = ?", n.ID).Pluck("body", &body).Error)
		require.Equal(t, "Plain words", body)
		wrong := oneonone.New(db.Gorm, func() time.Time { return b.now }, []byte("another-key-another-key-another-key!"))
		d, err := wrong.Meeting(t.Context(), meeting, b.manager.ID)
		require.NoError(t, err)
		require.Len(t, d.Notes, 2)
		require.True(t, d.Notes[0].Locked)
		require.Empty(t, d.Notes[0].Body)
		require.Equal(t, "Plain words", d.Notes[1].Body)
	})
}
