package survey_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/migrations"
	"github.com/pulsehq/pulse/survey"
)

// replyWorld is a team of six who answer a survey with an eNPS question and
// two comment questions; the first person allows replies to both comments.
type replyWorld struct {
	*world
	reps           []directory.Employee
	sv             survey.Survey
	rnd            survey.Round
	enps, q1, q2   int64
	author         directory.Employee
	authorComments []string
}

func newReplyWorld(t *testing.T, db *database.DB) *replyWorld {
	w := &replyWorld{world: newWorld(t, db)}
	team := w.team("Sales", nil)
	w.reps = w.people("rep", 6, &team.ID)
	w.author = w.reps[0]
	w.sv = w.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
		survey.QuestionInput{Kind: survey.KindText, Prompt: "What went well?"},
		survey.QuestionInput{Kind: survey.KindText, Prompt: "What should change?"})
	w.enps, w.q1, w.q2 = w.sv.Questions[0].ID, w.sv.Questions[1].ID, w.sv.Questions[2].ID
	w.rnd = w.round(w.sv.ID)
	w.authorComments = []string{"The offsite was great", "Quotas went up without warning"}
	_, err := w.svc.AnswerWith(t.Context(), w.rnd.ID, w.author.ID,
		answerInputs(w.enps, 3, w.q1, w.authorComments[0], w.q2, w.authorComments[1]), survey.AnswerOptions{AllowReplies: true})
	require.NoError(t, err)
	for i, p := range w.reps[1:] {
		w.answer(w.rnd.ID, p.ID, w.enps, 9, w.q1, "Plain comment "+string(rune('A'+i)))
	}
	return w
}

func (w *replyWorld) close() {
	w.t.Helper()
	_, err := w.svc.CloseRound(w.t.Context(), w.rnd.ID, nil)
	require.NoError(w.t, err)
}

func (w *replyWorld) comments() []survey.Comment {
	w.t.Helper()
	list, err := w.svc.Comments(w.t.Context(), w.sv.ID, survey.ResultsQuery{}, directory.Scope{All: true})
	require.NoError(w.t, err)
	return list
}

func (w *replyWorld) replyable() []survey.Comment {
	var out []survey.Comment
	for _, c := range w.comments() {
		if c.Replyable {
			out = append(out, c)
		}
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// An attacker holding the database files but not the server secret looks
// for anything that ties a replyable comment to the response (and so to the
// eNPS and other answers) of the person who wrote it, and finds nothing.
func TestAReplyableCommentJoinsNothingInTheDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		w.close()

		var responses []string
		require.NoError(t, db.Gorm.Table("responses").Pluck("id", &responses).Error)
		require.Len(t, responses, 6)
		var copies []struct {
			ID, Text string
		}
		require.NoError(t, db.Gorm.Table("replyable_comments").Find(&copies).Error)
		require.Len(t, copies, 2, "each opted-in comment is moved")
		var links []struct{ CommentID, Sealed string }
		require.NoError(t, db.Gorm.Table("comment_links").Find(&links).Error)
		require.Len(t, links, 2, "only the moved copies are linked")
		for _, c := range copies {
			require.Contains(t, w.authorComments, c.Text)
			require.Zero(t, w.countRows("answers", "text = ?", c.Text), "the text is no longer in any response")
			for _, r := range responses {
				require.Less(t, commonPrefix(c.ID, r), 6, "a copy's id owes nothing to the response id")
				for _, l := range links {
					require.NotContains(t, l.CommentID, r)
					require.NotContains(t, l.Sealed, r)
				}
			}
		}
		require.Zero(t, w.countRows("pending_reply_links", "1 = 1"), "no consent row is left beside a response")

		// Through Pulse (which holds the secret) the links still lead to the author.
		for _, c := range w.replyable() {
			author, err := w.svc.CommentAuthor(t.Context(), c.ID)
			require.NoError(t, err)
			require.Equal(t, w.author.ID, author)
		}
	})
}

// The same attacker reads the SQLite files themselves, write-ahead log
// included: wherever a replyable comment's text is found, no response id is
// near it. (Erased rows are overwritten, and the log is emptied at close.)
func TestTheSQLiteFilesKeepNoReplyableCommentBesideItsResponse(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w := newReplyWorld(t, db)
	w.close()
	var responses []string
	require.NoError(t, db.Gorm.Table("responses").Pluck("id", &responses).Error)
	found := 0
	for _, file := range []string{db.Path, db.Path + "-wal"} {
		raw, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		for _, text := range w.authorComments {
			for i := bytes.Index(raw, []byte(text)); i >= 0; i = nextIndex(raw, []byte(text), i) {
				found++
				near := raw[max(0, i-512):min(len(raw), i+512)]
				for _, r := range responses {
					require.False(t, bytes.Contains(near, []byte(r)), "%s keeps %q beside response %s", file, text, r)
				}
			}
		}
	}
	require.Positive(t, found, "the replyable copies are in the file")
}

func nextIndex(raw, sub []byte, after int) int {
	j := bytes.Index(raw[after+1:], sub)
	if j < 0 {
		return -1
	}
	return after + 1 + j
}

// Two comments of one person, replyable or not, have ids that share no
// prefix, so a reader of the comments cannot put them together.
func TestTwoCommentsOfOnePersonShareNoIDPrefix(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		w.answer(w.rnd.ID, w.reps[1].ID, w.q2, "A second comment from the same person")
		w.close()

		byText := map[string]survey.Comment{}
		for _, c := range w.comments() {
			byText[c.Text] = c
		}
		require.Len(t, byText, 8, "five plain comments, one more from the same person, two replyable")
		pairs := [][2]string{
			{"Plain comment A", "A second comment from the same person"},
			{w.authorComments[0], w.authorComments[1]},
		}
		for _, p := range pairs {
			a, b := byText[p[0]], byText[p[1]]
			require.NotEmpty(t, a.ID)
			require.NotEmpty(t, b.ID)
			require.Less(t, commonPrefix(a.ID, b.ID), 6, "%q and %q", a.ID, b.ID)
			require.False(t, strings.Contains(a.ID, b.ID[:8]) || strings.Contains(b.ID, a.ID[:8]))
		}
		require.True(t, byText[w.authorComments[0]].Replyable)
		require.False(t, byText["Plain comment A"].Replyable)

		// The ids are stable: the same comment is found again by its id.
		again := map[string]string{}
		for _, c := range w.comments() {
			again[c.Text] = c.ID
		}
		for text, c := range byText {
			require.Equal(t, c.ID, again[text])
			target, err := w.svc.Comment(t.Context(), c.ID)
			require.NoError(t, err)
			require.Equal(t, text, target.Text)
			require.Equal(t, c.Replyable, target.Replyable)
		}
		_, err := w.svc.Comment(t.Context(), "not-a-comment")
		require.Error(t, err)
	})
}

// Answering the comments again without allowing replies withdraws the
// consent at once: the link row is gone, and nothing is moved at close.
func TestWithdrawingConsentErasesTheLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		require.Equal(t, 2, w.countRows("pending_reply_links", "1 = 1"))
		_, err := w.svc.AnswerWith(t.Context(), w.rnd.ID, w.author.ID,
			answerInputs(w.q1, w.authorComments[0], w.q2, w.authorComments[1]), survey.AnswerOptions{})
		require.NoError(t, err)
		require.Zero(t, w.countRows("pending_reply_links", "1 = 1"), "the link row is gone as soon as consent is withdrawn")
		mine, err := w.svc.MyResponse(t.Context(), w.rnd.ID, w.author.ID)
		require.NoError(t, err)
		require.False(t, mine.AllowReplies)

		w.close()
		require.Zero(t, w.countRows("comment_links", "1 = 1"))
		require.Zero(t, w.countRows("replyable_comments", "1 = 1"))
		require.Empty(t, w.replyable())
		require.Len(t, w.comments(), 7, "the comments stay, as plain ones")
	})
}

// The link is erased 30 days after the round closed; the comment stays,
// but nobody can reply to it any more.
func TestLinksAreErasedThirtyDaysAfterClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		w.close()
		replyable := w.replyable()
		require.Len(t, replyable, 2)

		require.NoError(t, db.Gorm.Exec("INSERT INTO comment_replies (comment_id, from_author, replier_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
			replyable[0].ID, false, w.reps[5].ID, "Thanks, tell me more", w.clock()).Error)
		w.advance(survey.ReplyLinkLifetime - time.Hour)
		erased, err := w.svc.PurgeReplyLinks(t.Context())
		require.NoError(t, err)
		require.Zero(t, erased)
		_, err = w.svc.CommentAuthor(t.Context(), replyable[0].ID)
		require.NoError(t, err, "29 days and 23 hours after close the author can still be reached")

		w.advance(time.Hour)
		erased, err = w.svc.PurgeReplyLinks(t.Context())
		require.NoError(t, err)
		require.EqualValues(t, 2, erased)
		require.Zero(t, w.countRows("comment_links", "1 = 1"), "the link rows are gone")
		_, err = w.svc.CommentAuthor(t.Context(), replyable[0].ID)
		require.True(t, errors.Is(err, survey.ErrNoLink), "%v", err)
		require.Len(t, w.comments(), 7, "the comments themselves stay")
		require.Empty(t, w.replyable())
		talked := 0
		for _, c := range w.comments() {
			if c.HasConversation {
				talked++
				require.Equal(t, replyable[0].ID, c.ID, "the thread stays readable")
			}
		}
		require.Equal(t, 1, talked)
	})
}

// Replyable comments cannot be told apart by person, so for the comment
// threshold one person's two replyable comments count as one commenter,
// never two: three plain commenters and one who wrote two replyable
// comments are four, below five.
func TestReplyableCommentsNeverCountOnePersonTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		// Two of the five plain commenters blank their comment.
		w.answer(w.rnd.ID, w.reps[4].ID, w.q1, "")
		w.answer(w.rnd.ID, w.reps[5].ID, w.q1, " ")
		w.close()
		require.Empty(t, w.comments(), "three plain commenters and one who opted in are four people")
	})
}

// Migration 00013 carries links made before it: they become pending links,
// and the next pass moves those of closed rounds, threads included.
func TestMigrationMovesExistingLinks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		ctx := t.Context()
		for { // back to before 00013, whatever came after it
			st, err := migrations.CurrentStatus(ctx, db)
			require.NoError(t, err)
			if st.Current < 13 {
				break
			}
			_, err = migrations.Down(ctx, db, nil)
			require.NoError(t, err)
		}
		// The old scheme: the link and its thread are named after the response.
		var old []string
		require.NoError(t, db.Gorm.Table("comment_links").Pluck("comment_id", &old).Error)
		require.Len(t, old, 2)
		var response string
		require.NoError(t, db.Gorm.Table("responses").Select("id").Where("id = ?", strings.Split(old[0], "-")[0]).Scan(&response).Error)
		require.NotEmpty(t, response, "before 00013 a link names its response")
		require.NoError(t, db.Gorm.Exec("INSERT INTO comment_replies (comment_id, from_author, replier_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
			old[0], false, w.reps[5].ID, "An early reply", w.clock()).Error)

		require.NoError(t, migrations.Up(ctx, db, nil))
		// The round closed while Pulse was being upgraded, without moving
		// anything; the next closing pass and purge do.
		require.NoError(t, db.Gorm.Table("rounds").Where("id = ?", w.rnd.ID).Update("closed_at", w.clock()).Error)
		_, err := w.svc.CloseDue(ctx, nil)
		require.NoError(t, err)
		_, err = w.svc.PurgeReplyLinks(ctx)
		require.NoError(t, err)

		replyable := w.replyable()
		require.Len(t, replyable, 2)
		for _, c := range replyable {
			require.NotContains(t, c.ID, response)
			author, err := w.svc.CommentAuthor(ctx, c.ID)
			require.NoError(t, err)
			require.Equal(t, w.author.ID, author)
		}
		var threads []string
		require.NoError(t, db.Gorm.Table("comment_replies").Pluck("comment_id", &threads).Error)
		require.Len(t, threads, 1)
		require.Contains(t, []string{replyable[0].ID, replyable[1].ID}, threads[0], "the early reply follows its comment")
		require.Zero(t, w.countRows("pending_reply_links", "1 = 1"))
	})
}

// Replicas moving the same closed round's comments at the same moment (a
// round closed without moving them, as by an upgrade) move each comment once.
func TestMovingCommentsTwiceAtOnceMovesThemOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		require.NoError(t, db.Gorm.Table("rounds").Where("id = ?", w.rnd.ID).Update("closed_at", w.clock()).Error)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				_, err := w.svc.CloseDue(t.Context(), nil)
				if err == nil {
					_, err = w.svc.PurgeReplyLinks(t.Context())
				}
				errs <- err
			}()
		}
		for range 4 {
			require.NoError(t, <-errs)
		}
		require.Equal(t, 2, w.countRows("replyable_comments", "1 = 1"))
		require.Equal(t, 2, w.countRows("comment_links", "1 = 1"))
		require.Zero(t, w.countRows("pending_reply_links", "1 = 1"))
	})
}

// A replyable comment from a team too small to show is kept under the team
// it was folded into at close, like its response: no stored cell names the
// few people of the small team.
func TestAReplyableCommentCarriesItsFoldedTeam(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		sales := w.team("Sales", nil)
		tiny := w.team("Sales Tiny", &sales.ID)
		people := append(w.people("rep", 5, &sales.ID), w.people("tiny", 2, &tiny.ID)...)
		sv := w.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
			survey.QuestionInput{Kind: survey.KindText, Prompt: "Anything else?"})
		round := w.round(sv.ID)
		for i, p := range people {
			_, err := w.svc.AnswerWith(t.Context(), round.ID, p.ID, answerInputs(sv.Questions[0].ID, 8, sv.Questions[1].ID,
				"Comment "+string(rune('A'+i))), survey.AnswerOptions{AllowReplies: p.TeamID != nil && *p.TeamID == tiny.ID})
			require.NoError(t, err)
		}
		_, err := w.svc.CloseRound(t.Context(), round.ID, nil)
		require.NoError(t, err)

		var teams []*int64
		require.NoError(t, db.Gorm.Table("replyable_comments").Pluck("team_id", &teams).Error)
		require.Len(t, teams, 2)
		for _, team := range teams {
			require.NotNil(t, team)
			require.Equal(t, sales.ID, *team, "folded into Sales, never Sales Tiny")
		}
		require.Zero(t, w.countRows("replyable_comments", "team_id = ?", tiny.ID))
	})
}

// A link that cannot be opened (sealed under another PULSE_SECRET) does not
// keep the round from closing: its comment stays an ordinary one.
func TestAnUnreadableLinkDoesNotBlockTheClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newReplyWorld(t, db)
		require.NoError(t, db.Gorm.Table("pending_reply_links").Where("question_id = ?", w.q1).Update("sealed", "bm90IGEgbGluaw").Error)
		w.close()
		round, err := w.svc.Round(t.Context(), w.rnd.ID)
		require.NoError(t, err)
		require.NotNil(t, round.ClosedAt)
		replyable := w.replyable()
		require.Len(t, replyable, 1, "the other comment's link still works")
		require.Equal(t, w.authorComments[1], replyable[0].Text)
		require.Len(t, w.comments(), 7, "the unlinked comment is still shown")
		require.Zero(t, w.countRows("pending_reply_links", "1 = 1"))
	})
}
