package survey

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// answerBatch records the requests of batch in tx, in order, filling
// outcomes; an answer alone is a batch of one. It costs the same few
// statements for one answer as for sixty: each round is read (and on
// PostgreSQL share-locked) once, recipients, responses and their answers
// are read in one query each, and responses, answers and rollup moves are
// written in one statement each. A refusal (see refusedBeforeWriting) is
// decided from what was read, before anything is written, and refuses only
// its own request; any other error ends the transaction.
func (s *Service) answerBatch(tx *gorm.DB, batch []*answerRequest, outcomes []answerOutcome) error {
	rounds, err := lockRounds(tx, batch, outcomes)
	if err != nil {
		return err
	}
	recipients, err := recipientsOf(tx, batch, outcomes)
	if err != nil {
		return err
	}
	w := batchWrites{responses: map[string]*heldResponse{}, answers: map[answerKey]answer{}}
	admitted := make([]admittedAnswer, len(batch))
	for i, req := range batch {
		if outcomes[i].err != nil {
			continue
		}
		admitted[i], outcomes[i].err = s.admitAnswer(tx, rounds[req.roundID], req, recipients[recipientKey{req.roundID, req.employeeID}])
	}
	if err := w.readResponses(tx, admitted, outcomes); err != nil {
		return err
	}
	for i, req := range batch {
		if outcomes[i].err == nil {
			outcomes[i].receipt = s.record(&w, admitted[i], req)
		}
	}
	if err := w.write(tx, s.now().Format(time.DateOnly)); err != nil {
		return err
	}
	for i, req := range batch {
		a := admitted[i]
		if outcomes[i].err != nil {
			continue
		}
		if err := s.updateLinks(tx, a.round.Round, w.responses[a.hash].id, req.employeeID, a.values, req.opts.AllowReplies); err != nil {
			return err
		}
	}
	return w.moves.apply(tx)
}

// lockRounds reads each round of the batch once; a round that does not
// exist refuses its requests.
func lockRounds(tx *gorm.DB, batch []*answerRequest, outcomes []answerOutcome) (map[int64]roundToAnswer, error) {
	rounds := map[int64]roundToAnswer{}
	missing := map[int64]error{}
	for i, req := range batch {
		if _, ok := rounds[req.roundID]; ok {
			continue
		}
		if err, ok := missing[req.roundID]; ok {
			outcomes[i].err = err
			continue
		}
		locked, err := lockRound(tx, req.roundID)
		switch {
		case err == nil:
			rounds[req.roundID] = locked
		case refusedBeforeWriting(err):
			missing[req.roundID], outcomes[i].err = err, err
		default:
			return nil, err
		}
	}
	return rounds, nil
}

type recipientKey struct{ roundID, employeeID int64 }

// recipientRow is a recipient of a round with what answering needs of the
// employee; Active is nil when the employee is gone.
type recipientRow struct {
	RoundID, EmployeeID int64
	TeamID              *int64
	OpensAt             *time.Time
	Active              *bool
	Timezone            *string
}

// recipientsOf reads, in one query, the recipients the batch's requests
// name, with their employees.
func recipientsOf(tx *gorm.DB, batch []*answerRequest, outcomes []answerOutcome) (map[recipientKey]recipientRow, error) {
	var roundIDs, employeeIDs []int64
	for i, req := range batch {
		if outcomes[i].err == nil {
			roundIDs, employeeIDs = append(roundIDs, req.roundID), append(employeeIDs, req.employeeID)
		}
	}
	out := map[recipientKey]recipientRow{}
	if len(roundIDs) == 0 {
		return out, nil
	}
	var rows []recipientRow
	err := tx.Raw(`SELECT rr.round_id, rr.employee_id, rr.team_id, rr.opens_at, e.active, e.timezone
		FROM round_recipients rr LEFT JOIN employees e ON e.id = rr.employee_id
		WHERE rr.round_id IN ? AND rr.employee_id IN ?`, compact(roundIDs), compact(employeeIDs)).Scan(&rows).Error
	for _, r := range rows {
		out[recipientKey{r.RoundID, r.EmployeeID}] = r
	}
	return out, err
}

func compact(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// admittedAnswer is a request that may be recorded: its round, recipient,
// questions and checked values, and the keyed hash its response is under.
type admittedAnswer struct {
	round     roundToAnswer
	recipient Recipient
	questions []Question
	values    []checkedValue
	hash      string
}

// admitAnswer decides whether req may be recorded, from what was read: it
// refuses someone not asked, a closed round, a deactivated person, a round
// that has not reached them yet, and invalid answers.
func (s *Service) admitAnswer(tx *gorm.DB, locked roundToAnswer, req *answerRequest, row recipientRow) (admittedAnswer, error) {
	a := admittedAnswer{round: locked}
	rcpt, err := s.admit(tx, locked.Round, req.employeeID, row, row.RoundID != 0)
	if err != nil {
		return a, err
	}
	a.recipient = rcpt
	if a.questions, err = s.questions.of(tx, locked.Round); err != nil {
		return a, err
	}
	if a.values, err = checkAnswers(req.inputs, a.questions, locked.SurveyScaleMin); err != nil {
		return a, err
	}
	if len(locked.RoundKey) == 0 {
		return a, errKeyLost
	}
	a.hash = respondentHash(locked.RoundKey, locked.ID, req.employeeID)
	return a, nil
}

// admit is admitRecipient's decision over a recipient already read.
func (s *Service) admit(tx *gorm.DB, round Round, employeeID int64, row recipientRow, found bool) (Recipient, error) {
	rcpt := Recipient{RoundID: round.ID, EmployeeID: employeeID, TeamID: row.TeamID, OpensAt: row.OpensAt}
	switch {
	case !found:
		return rcpt, fault.Forbidden("you were not asked in this round")
	case !round.OpenAt(s.now()):
		return rcpt, fault.Conflictf("this round closed at %s; answers can no longer be changed",
			closedAt(round).Format(time.RFC3339))
	case row.Active == nil:
		return rcpt, fault.NotFound("employee")
	}
	e := directory.Employee{ID: employeeID, Active: *row.Active}
	if row.Timezone != nil {
		e.Timezone = *row.Timezone
	}
	return rcpt, admitAnswerer(tx, round, rcpt, e, s.now())
}

// heldResponse is a response as the batch leaves it.
type heldResponse struct {
	id      string
	roundID int64
	teamID  *int64
	answers map[int64]answer
	isNew   bool
}

type answerKey struct {
	responseID string
	questionID int64
}

// batchWrites is what a batch will write: the responses it holds (by keyed
// hash), the answers to upsert, and the rollup moves.
type batchWrites struct {
	responses map[string]*heldResponse
	answers   map[answerKey]answer
	moves     countMoves
}

// readResponses reads the responses of the admitted requests, with their
// answers. On PostgreSQL the responses are locked first (in id order), so
// two edits of one queue up, and their answers are read after the locks are
// granted: read in the locking statement they would be the ones from before
// the wait. SQLite's IMMEDIATE transactions already serialise edits, so
// there one query reads both.
func (w *batchWrites) readResponses(tx *gorm.DB, admitted []admittedAnswer, outcomes []answerOutcome) error {
	var roundIDs []int64
	var hashes []string
	wanted := map[string]bool{}
	for i, a := range admitted {
		if outcomes[i].err == nil {
			roundIDs, hashes = append(roundIDs, a.round.ID), append(hashes, a.hash)
			wanted[a.hash] = true
		}
	}
	if len(hashes) == 0 {
		return nil
	}
	var rows []struct {
		ID             string
		RoundID        int64
		RespondentHash string
		QuestionID     *int64
		Number         *int
		Text           *string
	}
	query := `SELECT r.id, r.round_id, r.respondent_hash, a.question_id, a.number, a.text
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id
		WHERE r.round_id IN ? AND r.respondent_hash IN ?`
	if tx.Dialector.Name() == "postgres" {
		var ids []string
		err := tx.Raw(`SELECT id FROM responses WHERE round_id IN ? AND respondent_hash IN ? ORDER BY id FOR UPDATE`,
			compact(roundIDs), hashes).Scan(&ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		query = `SELECT r.id, r.round_id, r.respondent_hash, a.question_id, a.number, a.text
			FROM responses r LEFT JOIN answers a ON a.response_id = r.id WHERE r.id IN ?`
		if err := tx.Raw(query, ids).Scan(&rows).Error; err != nil {
			return err
		}
	} else if err := tx.Raw(query, compact(roundIDs), hashes).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if !wanted[r.RespondentHash] {
			continue // another round's hash, by chance equal
		}
		held := w.responses[r.RespondentHash]
		if held == nil {
			held = &heldResponse{id: r.ID, roundID: r.RoundID, answers: map[int64]answer{}}
			w.responses[r.RespondentHash] = held
		}
		if r.QuestionID != nil {
			held.answers[*r.QuestionID] = answer{ResponseID: r.ID, QuestionID: *r.QuestionID, Number: r.Number, Text: r.Text}
		}
	}
	return nil
}

// record applies one admitted request to the batch's writes: its response
// (created if the person has none), its answers and their rollup moves.
// Requests of one person later in the batch see this one's answers.
func (s *Service) record(w *batchWrites, a admittedAnswer, req *answerRequest) Receipt {
	held := w.responses[a.hash]
	if held == nil {
		held = &heldResponse{id: randomID(), roundID: a.round.ID, teamID: a.recipient.TeamID, answers: map[int64]answer{}, isNew: true}
		w.responses[a.hash] = held
	}
	team := int64(0)
	if a.recipient.TeamID != nil {
		team = *a.recipient.TeamID
	}
	for _, v := range a.values {
		if old, hadOld := held.answers[v.question.ID]; hadOld {
			w.moves.add(a.round.Round, team, v.question.ID, rollupKey(v.question, old), -1)
		}
		w.moves.add(a.round.Round, team, v.question.ID, v.rollup, +1)
		stored := answer{ResponseID: held.id, QuestionID: v.question.ID, Number: v.number, Text: v.text}
		held.answers[v.question.ID] = stored
		w.answers[answerKey{held.id, v.question.ID}] = stored
	}
	round := a.round.Round
	return Receipt{RoundID: round.ID, Answers: req.inputs, EditableUntil: round.ClosesAt, Anonymous: true,
		Round: s.answeredRound(round, a.recipient, a.round.survey(), a.questions)}
}

// write stores the batch's new responses and its answers, each kind in one
// statement. New responses go in the order of their random ids, so not even
// their order within the batch follows the order people answered in.
func (w *batchWrites) write(tx *gorm.DB, day string) error {
	var hashes []string
	for hash, held := range w.responses {
		if held.isNew {
			hashes = append(hashes, hash)
		}
	}
	slices.SortFunc(hashes, func(a, b string) int { return strings.Compare(w.responses[a].id, w.responses[b].id) })
	if len(hashes) > 0 {
		args := make([]any, 0, 5*len(hashes))
		for _, hash := range hashes {
			held := w.responses[hash]
			args = append(args, held.id, held.roundID, held.teamID, day, hash)
		}
		err := tx.Exec("INSERT INTO responses (id, round_id, team_id, answer_day, respondent_hash) VALUES "+
			rowsOf(len(hashes), "(?, ?, ?, ?, ?)"), args...).Error
		if err != nil {
			return err
		}
	}
	if len(w.answers) == 0 {
		return nil
	}
	keys := slices.SortedFunc(maps.Keys(w.answers), func(a, b answerKey) int {
		return cmp.Or(strings.Compare(a.responseID, b.responseID), cmp.Compare(a.questionID, b.questionID))
	})
	args := make([]any, 0, 4*len(keys))
	for _, k := range keys {
		a := w.answers[k]
		args = append(args, k.responseID, k.questionID, a.Number, a.Text)
	}
	return tx.Exec(`INSERT INTO answers (response_id, question_id, number, text) VALUES `+rowsOf(len(keys), "(?, ?, ?, ?)")+`
		ON CONFLICT (response_id, question_id) DO UPDATE SET number = excluded.number, text = excluded.text`, args...).Error
}

func rowsOf(n int, row string) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}
