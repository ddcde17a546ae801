package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/directory"
)

// SlackUsers lists the workspace's members; *slack.Client implements it.
type SlackUsers interface {
	GetUsersPaginated(options ...slack.GetUsersOption) slack.UserPagination
}

// SyncDirectory is what directory sync reads and changes; *directory.Directory
// implements it.
type SyncDirectory interface {
	Employees(ctx context.Context, f directory.EmployeeFilter) ([]directory.Employee, error)
	UpdateEmployee(ctx context.Context, id int64, p directory.EmployeePatch) (directory.Employee, error)
	CreateEmployee(ctx context.Context, in directory.EmployeeInput) (directory.Employee, error)
	BindSlack(ctx context.Context, id int64, slackUserID string) (directory.Employee, error)
}

// users.list is a Tier 2 method: about 20 calls a minute. Pages of 200 are
// what Slack recommends.
const (
	usersPageSize     = 200
	usersPageInterval = 3 * time.Second
	maxRateLimited    = 5
	slackbotID        = "USLACKBOT"
)

// DirectorySync copies what Slack knows about people into the directory:
// their Slack user id, time zone and language, matched by email; people
// deleted in Slack become inactive. Run it from `pulse slack sync` or daily.
type DirectorySync struct {
	Slack     SlackUsers
	Directory SyncDirectory
	Logger    *slog.Logger
	// Wait pauses between pages and after a rate limit; nil sleeps, giving up
	// when ctx ends. Tests pass one that returns at once.
	Wait func(ctx context.Context, d time.Duration) error
}

// SyncOptions change what a sync may do.
type SyncOptions struct {
	// CreateMissing adds active Slack members with no employee yet, in
	// DefaultTeam (none when nil), as employees. Guests are never added.
	CreateMissing bool
	DefaultTeam   *int64
}

// SyncReport says what a sync did.
type SyncReport struct {
	SlackMembers int // people listed, bots and Slackbot not counted
	Updated      int // employees whose Slack id, zone or language changed
	Unchanged    int
	Deactivated  int      // employees whose Slack account is deleted
	Created      int      // with CreateMissing
	Unmatched    []string // emails of active Slack members with no employee
	Problems     []string // changes the directory refused, one line each
}

// Run lists every Slack member and brings the directory in line. It is the
// only way a Slack user id gets bound to a person: matched by the email
// Slack reports, never taken from another active person.
func (s *DirectorySync) Run(ctx context.Context, opts SyncOptions) (SyncReport, error) {
	ctx = directory.WithActor(ctx, directory.ActorSlackSync)
	members, err := s.listMembers(ctx)
	if err != nil {
		return SyncReport{}, err
	}
	people, err := s.Directory.Employees(ctx, directory.EmployeeFilter{Scope: directory.EveryoneScope()})
	if err != nil {
		return SyncReport{}, err
	}
	m := newMatcher(people)
	report := SyncReport{SlackMembers: len(members)}
	for _, u := range members {
		if err := s.apply(ctx, m, u, opts, &report); err != nil {
			return report, err
		}
	}
	return report, nil
}

// listMembers pages through users.list at Tier 2's pace, waiting out any
// rate limit Slack still answers with and retrying the same page.
func (s *DirectorySync) listMembers(ctx context.Context) ([]slack.User, error) {
	var members []slack.User
	page := s.Slack.GetUsersPaginated(slack.GetUsersOptionLimit(usersPageSize))
	for limited := 0; ; {
		next, err := page.Next(ctx)
		if page.Done(err) {
			return members, nil
		}
		if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok && limited < maxRateLimited {
			limited++
			if err := s.wait(ctx, rl.RetryAfter); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("users.list: %w", err)
		}
		for _, u := range next.Users {
			if !isBot(u) {
				members = append(members, u)
			}
		}
		if next.Cursor == "" {
			return members, nil
		}
		page, limited = next, 0
		if err := s.wait(ctx, usersPageInterval); err != nil {
			return nil, err
		}
	}
}

func isBot(u slack.User) bool { return u.IsBot || u.IsAppUser || u.ID == slackbotID }

func (s *DirectorySync) wait(ctx context.Context, d time.Duration) error {
	if s.Wait != nil {
		return s.Wait(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// apply brings one employee in line with one Slack member. Refusals by the
// directory (say, a Slack id another employee already holds) are reported
// and the sync goes on; only storage errors stop it.
func (s *DirectorySync) apply(ctx context.Context, m matcher, u slack.User, opts SyncOptions, report *SyncReport) error {
	e, found := m.find(u)
	var err error
	switch {
	case u.Deleted && (!found || !e.Active):
		return nil
	case u.Deleted:
		inactive := false
		if _, err = s.Directory.UpdateEmployee(ctx, e.ID, directory.EmployeePatch{Active: &inactive}); err == nil {
			report.Deactivated++
		}
	case !found && opts.CreateMissing && u.Profile.Email != "" && !u.IsRestricted && !u.IsUltraRestricted:
		if _, err = s.Directory.CreateEmployee(ctx, newEmployee(u, opts.DefaultTeam)); err == nil {
			report.Created++
		}
	case !found:
		if u.Profile.Email != "" {
			report.Unmatched = append(report.Unmatched, directory.NormalizeEmail(u.Profile.Email))
		}
	default:
		err = s.update(ctx, e, u, report)
	}
	return s.refused(err, u, report)
}

// update binds the member's Slack id to the employee matched by email, if
// it is not yet, and copies their zone and language.
func (s *DirectorySync) update(ctx context.Context, e directory.Employee, u slack.User, report *SyncReport) error {
	bind := u.ID != e.SlackUserID
	patch, changed := slackPatch(e, u)
	if !bind && !changed {
		report.Unchanged++
		return nil
	}
	if bind {
		if _, err := s.Directory.BindSlack(ctx, e.ID, u.ID); err != nil {
			return err
		}
	}
	if changed {
		if _, err := s.Directory.UpdateEmployee(ctx, e.ID, patch); err != nil {
			return err
		}
	}
	report.Updated++
	return nil
}

// refused records a refusal by the directory and passes on anything else.
func (s *DirectorySync) refused(err error, u slack.User, report *SyncReport) error {
	if err == nil {
		return nil
	}
	if !isDomainRefusal(err) {
		return err
	}
	problem := fmt.Sprintf("%s (%s): %v", u.ID, u.Profile.Email, err)
	report.Problems = append(report.Problems, problem)
	if s.Logger != nil {
		s.Logger.Warn("directory sync skipped a Slack member", "problem", problem)
	}
	return nil
}

// matcher finds the employee of a Slack member: by email, ignoring case, or
// failing that by the Slack id already on file (deleted members may have no
// email left).
type matcher struct {
	byEmail   map[string]directory.Employee
	bySlackID map[string]directory.Employee
}

func newMatcher(people []directory.Employee) matcher {
	m := matcher{byEmail: map[string]directory.Employee{}, bySlackID: map[string]directory.Employee{}}
	for _, e := range people {
		m.byEmail[directory.NormalizeEmail(e.Email)] = e
		if e.SlackUserID != "" {
			m.bySlackID[e.SlackUserID] = e
		}
	}
	return m
}

func (m matcher) find(u slack.User) (directory.Employee, bool) {
	if email := directory.NormalizeEmail(u.Profile.Email); email != "" {
		if e, ok := m.byEmail[email]; ok {
			return e, true
		}
	}
	e, ok := m.bySlackID[u.ID]
	return e, ok
}

// slackPatch is what Slack would change about e besides the binding;
// changed is false when nothing would.
func slackPatch(e directory.Employee, u slack.User) (directory.EmployeePatch, bool) {
	var p directory.EmployeePatch
	if zone := slackZone(u); zone != "" && zone != e.Timezone {
		p.Timezone = &zone
	}
	if locale := slackLocale(u); locale != "" && locale != e.Locale {
		p.Locale = &locale
	}
	return p, p.Timezone != nil || p.Locale != nil
}

func newEmployee(u slack.User, team *int64) directory.EmployeeInput {
	name := strings.TrimSpace(u.RealName)
	for _, alt := range []string{u.Profile.RealName, u.Profile.DisplayName, u.Name} {
		if name == "" {
			name = strings.TrimSpace(alt)
		}
	}
	return directory.EmployeeInput{Email: u.Profile.Email, Name: name, TeamID: team, Role: directory.RoleEmployee,
		SlackUserID: u.ID, Timezone: slackZone(u), Locale: slackLocale(u)}
}

// slackZone is the member's IANA zone, "" when Slack's is not one Go knows.
func slackZone(u slack.User) string {
	if zoneOf(u.TZ) == nil {
		return ""
	}
	return u.TZ
}

// slackLocale maps Slack's "ms-MY" to a language Pulse speaks, "" for one
// it does not (the employee's current language then stays).
func slackLocale(u slack.User) string {
	if lang := languageOf(u.Locale); slices.Contains(directory.Locales, lang) {
		return lang
	}
	return ""
}
