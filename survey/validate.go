package survey

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

func trim(s string) string { return strings.TrimSpace(s) }

// validateSurvey reports every problem with a survey at once, naming fields
// as a client sent them: "questions[10]", "questions[2].options". now dates
// the sends listed when a cadence would go out more than once a day.
func validateSurvey(tx *gorm.DB, sv Survey, questions []QuestionInput, now time.Time) error {
	var c fault.Checker
	c.Check(sv.Title != "", "title", "is required")
	c.Check(utf8.RuneCountInString(sv.Title) <= 200, "title", "must be at most 200 characters")
	c.Checkf(slices.Contains(Locales(), sv.Locale), "locale", "must be one of %s", strings.Join(Locales(), ", "))
	c.Check(sv.ScaleMin == 0 || sv.ScaleMin == 1, "scale_min", "must be 1 (the default) or 0")
	c.Check(sv.CloseAfterHours >= 1 && sv.CloseAfterHours <= 24*31, "close_after_hours", "must be between 1 and 744 (31 days)")
	checkReminders(&c, sv)
	if sv.Cadence != nil {
		if err := sv.Cadence.ValidateAt(now); err != nil {
			var inv *fault.Invalid
			if !errors.As(err, &inv) {
				return err
			}
			c.Relay(0, inv)
		}
	}
	checkQuestions(&c, questions)
	if err := checkAudience(&c, tx, sv.Audience); err != nil {
		return err
	}
	return c.Err()
}

func checkReminders(c *fault.Checker, sv Survey) {
	c.Check(len(sv.ReminderDays) <= 5, "reminder_days", "may hold at most 5 days")
	for i, d := range sv.ReminderDays {
		field := fmt.Sprintf("reminder_days[%d]", i)
		c.Check(d >= 1 && d*24 < sv.CloseAfterHours, field, "must be a day after the send and before the round closes")
		c.Check(i == 0 || d > sv.ReminderDays[i-1], field, "days must be in increasing order")
	}
}

func checkQuestions(c *fault.Checker, questions []QuestionInput) {
	c.Check(len(questions) > 0, "questions", "a survey needs at least one question")
	enps := 0
	for i, q := range questions {
		field := fmt.Sprintf("questions[%d]", i)
		if i >= MaxQuestions {
			c.Addf(field, "a pulse survey has at most %d questions", MaxQuestions)
			continue
		}
		if !ValidKind(q.Kind) {
			c.Add(field+".kind", "must be one of enps, scale, yes_no, choice, text")
		}
		c.Check(q.Prompt != "", field+".prompt", "is required")
		c.Check(utf8.RuneCountInString(q.Prompt) <= 500, field+".prompt", "must be at most 500 characters")
		if q.Kind == KindENPS {
			enps++
			c.Check(enps == 1, field+".kind", "a survey has at most one enps question")
		}
		checkOptions(c, field+".options", q)
	}
}

func checkOptions(c *fault.Checker, field string, q QuestionInput) {
	if q.Kind != KindChoice {
		c.Check(len(q.Options) == 0, field, "only choice questions have options")
		return
	}
	c.Check(len(q.Options) >= 2 && len(q.Options) <= 10, field, "a choice question needs 2 to 10 options")
	seen := map[string]bool{}
	for _, o := range q.Options {
		o = trim(o)
		c.Check(o != "" && utf8.RuneCountInString(o) <= 100, field, "options must be 1 to 100 characters")
		c.Checkf(!seen[o], field, "option %q appears twice", o)
		seen[o] = true
	}
}

func checkAudience(c *fault.Checker, tx *gorm.DB, a Audience) error {
	if len(a.TeamIDs) == 0 {
		return nil
	}
	var found int64
	if err := tx.Table("teams").Where("id IN ? AND active", a.TeamIDs).Count(&found).Error; err != nil {
		return err
	}
	unique := slices.Compact(slices.Sorted(slices.Values(a.TeamIDs)))
	c.Check(int(found) == len(unique), "audience.team_ids", "every team must exist and be active")
	return nil
}
