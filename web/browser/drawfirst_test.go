package browser_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
)

// Signing in draws the dashboard at once: while the sales query that decides
// whether to offer "My sales" is held back, the menu and the first view are
// already there; "My sales" is not offered until it answers.
func TestSignInDrawsBeforeTheSalesQueryAnswers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Sales", nil)
		manager := s.person("Maya Lead", directory.RoleManager, &team.ID, "Asia/Kuala_Lumpur")
		_, err := s.dir.UpdateTeam(t.Context(), team.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)

		ctx, cancel := chromedp.NewContext(s.browser)
		t.Cleanup(cancel)
		ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
		t.Cleanup(cancelTimeout)
		held := make(chan fetch.RequestID, 1)
		require.NoError(t, chromedp.Listen(ctx, func(ev any) {
			if paused, ok := ev.(*fetch.EventRequestPaused); ok {
				held <- paused.RequestID
			}
		}))
		_, err = chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/sales/kpis*"}}})
		require.NoError(t, err)

		code, _, err := s.signIns.Issue(t.Context(), manager.ID)
		require.NoError(t, err)
		tb := &tab{s: s, ctx: ctx, name: manager.Name}
		tb.do(chromedp.Navigate(s.url + notify.SignInPath + "?code=" + code))
		var request fetch.RequestID
		select {
		case request = <-held:
		case <-ctx.Done():
			t.Fatal("the sales query was never made")
		}
		tb.waitText("#who", "Maya Lead")
		tb.waitText("#nav", "Results")
		tb.waitText("#results-body", "There are no surveys yet.")
		require.NotContains(t, tb.text("#nav"), "My sales")

		_, err = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: request})
		require.NoError(t, err)
		tb.waitFor("the sales answer", `performance.getEntriesByType("resource").some((e) => e.name.includes("/sales/kpis") && e.responseEnd > 0)`)
		require.NotContains(t, tb.text("#nav"), "My sales", "a manager without deals of their own is not offered My sales")
	})
}
