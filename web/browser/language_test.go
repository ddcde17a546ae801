package browser_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// The dashboard speaks the person's language: the header's switch turns the
// page to Bahasa Melayu and marks <html lang>, the choice is kept on the
// person (a new sign-in elsewhere opens in Malay), and switching back works.
func TestSwitchingToMalay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Sales", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, &team.ID, "Asia/Kuala_Lumpur")

		admin := s.signIn(hr)
		admin.waitText("#nav", "Survey setup")
		require.Equal(t, "en", admin.eval(`document.documentElement.lang`))
		admin.set("Language", "ms")
		admin.waitReload(`document.documentElement.lang === "ms" && document.getElementById("nav").innerText.includes("Keputusan")`)
		admin.waitText("#nav", "Tetapan tinjauan")
		admin.waitText("#nav", "Keputusan")
		admin.waitText("#who", "Pentadbir HR")
		require.NotContains(t, admin.text("#nav"), "Survey setup")
		admin.click("#nav", "Tetapan tinjauan")
		admin.waitText("#view-setup h2", "Tetapan tinjauan")
		admin.screenshot("malay")

		me, err := s.dir.Employee(t.Context(), hr.ID)
		require.NoError(t, err)
		require.Equal(t, "ms", me.Locale, "the choice is the person's, so Slack follows it too")

		again := s.signIn(hr)
		again.waitText("#nav", "Keputusan")
		require.Equal(t, "ms", again.eval(`document.documentElement.lang`))

		again.set("Bahasa", "en")
		again.waitReload(`document.documentElement.lang === "en" && document.getElementById("nav").innerText.includes("Results")`)
		again.waitText("#nav", "Survey setup")
	})
}

// waitReload waits through a reload of the page until condition holds:
// while the page is being replaced, evaluating fails, which is not an answer.
func (tb *tab) waitReload(condition string) {
	tb.s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](condition))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.s.t.Fatalf("%s: waited through a reload for %s", tb.name, condition)
}
