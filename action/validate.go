package action

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pulsehq/pulse/fault"
)

// Bounds of what a plan holds.
const (
	MaxTitle    = 120
	MaxText     = 2000 // heard, will_do, an update's text
	MaxComments = 10
)

// next says which statuses a plan may move to from each status: forward
// only, and done and dropped are final (their reactions are sealed then).
var next = map[string][]string{
	StatusPlanned:    {StatusInProgress, StatusDone, StatusDropped},
	StatusInProgress: {StatusDone, StatusDropped},
}

// CanMove reports whether a plan in status from may move to status to.
func CanMove(from, to string) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

func validStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

func checkText(c *fault.Checker, field, s string, max int) {
	if p := fault.TextProblem(s); p != "" {
		c.Add(field, p)
		return
	}
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	c.Check(n > 0, field, "must not be empty")
	c.Checkf(n <= max, field, "must be at most %d characters", max)
}

// checkDue checks a due date; today is the earliest one a new date may be.
func checkDue(c *fault.Checker, due string, today string) {
	d, err := time.Parse(time.DateOnly, due)
	switch {
	case due == "":
		c.Add("due_on", "is required, a date such as 2026-12-31")
	case err != nil:
		c.Add("due_on", "must be a date such as 2026-12-31")
	case d.Format(time.DateOnly) < today:
		c.Addf("due_on", "must not be in the past (today is %s)", today)
	}
}

func checkCommentIDs(c *fault.Checker, ids []string) {
	c.Checkf(len(ids) <= MaxComments, "comment_ids", "may link at most %d comments", MaxComments)
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || fault.TextProblem(id) != "" || len(id) > 200 {
			c.Add("comment_ids", "holds an id that is not a comment id")
			return
		}
		if seen[id] {
			c.Add("comment_ids", "names the same comment twice")
			return
		}
		seen[id] = true
	}
}
