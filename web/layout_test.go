package web_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cssRule is one rule of the stylesheet, with the media query it sits in.
type cssRule struct {
	media, selector string
	decls           map[string]string
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseCSS reads pulse.css's plain rules and those in one level of @media.
func parseCSS(t *testing.T, text string) []cssRule {
	t.Helper()
	text = cssComment.ReplaceAllString(text, "")
	var out []cssRule
	var walk func(s, media string)
	walk = func(s, media string) {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			head := strings.TrimSpace(s[:open])
			if strings.HasPrefix(head, "@media") {
				depth, end := 0, open
				for ; end < len(s); end++ {
					if s[end] == '{' {
						depth++
					} else if s[end] == '}' {
						if depth--; depth == 0 {
							break
						}
					}
				}
				walk(s[open+1:end], head)
				s = s[end+1:]
				continue
			}
			end := open + strings.IndexByte(s[open:], '}')
			decls := map[string]string{}
			for _, d := range strings.Split(s[open+1:end], ";") {
				if k, v, ok := strings.Cut(d, ":"); ok {
					decls[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), " ")
				}
			}
			for _, sel := range strings.Split(head, ",") {
				out = append(out, cssRule{media: media, selector: strings.Join(strings.Fields(sel), " "), decls: decls})
			}
			s = s[end+1:]
		}
	}
	walk(text, "")
	return out
}

// declared is the value selector sets for property outside any media query
// (or inside media, when media is given), the last rule winning.
func declared(rules []cssRule, media, selector, property string) string {
	value := ""
	for _, r := range rules {
		if r.selector == selector && strings.Contains(r.media, media) && (media != "" || r.media == "") {
			if v, ok := r.decls[property]; ok {
				value = v
			}
		}
	}
	return value
}

// A bare fr track (1fr is minmax(auto, 1fr)) grows to its widest
// unbreakable content, so a table in it widens the page.
var (
	bareFr = regexp.MustCompile(`(?:^|\s)[0-9.]+fr\b`)
	minmax = regexp.MustCompile(`minmax\([^)]*\)`)
)

// The phone layout never scrolls sideways: on a 390 px screen the People
// table made the page 653 px wide, because the grid cell holding it grew to
// the table's width. Wide content stays inside its box: every table sits in
// a scrolling .table-wrap, every grid cell of a bare fr track may shrink,
// and every table but the eNPS trend (which keeps its period column pinned
// while the rest scrolls) stacks its cells on a phone.
func TestWideContentStaysInsideItsBox(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("static/pulse.css")
	require.NoError(t, err)
	rules := parseCSS(t, string(css))
	require.Equal(t, "auto", declared(rules, "", ".table-wrap", "overflow-x"))
	require.Equal(t, "100%", declared(rules, "", ".chart", "max-width"), "the chart, never narrower than 300 px, scales down on a 320 px phone")

	for _, r := range rules {
		tracks := r.decls["grid-template-columns"]
		if !bareFr.MatchString(minmax.ReplaceAllString(tracks, "")) {
			continue
		}
		container := strings.Fields(r.selector)[0]
		require.Equal(t, "0", declared(rules, "", container+" > *", "min-width"),
			"%s { grid-template-columns: %s }: its cells must be allowed to shrink (min-width: 0)", r.selector, tracks)
	}

	phone := "max-width: 720px"
	require.Equal(t, "block", declared(rules, phone, "table.stack-narrow tr", "display"), "stacked tables put each row on its own")
	require.Equal(t, "block", declared(rules, phone, "table.stack-narrow td", "display"))
	require.Equal(t, `attr(data-label) ": "`, declared(rules, phone, "table.stack-narrow td[data-label]::before", "content"),
		"a stacked cell is labelled with its column")
	require.Equal(t, "normal", declared(rules, phone, "table.stack-narrow td.num", "white-space"),
		"an eNPS with its interval is wider than a phone: stacked, it wraps")

	tables := regexp.MustCompile(`<table\b[^>]*>|el\("table", \{[^}]*\}`)
	wrapped := regexp.MustCompile(`(?:<div class="table-wrap"[^>]*>|el\("div", \{ class: "table-wrap"[^\n]*\},)\s*$`)
	count := 0
	for _, name := range []string{"index.html", "admin.js", "oneonones.js", "people.js", "results.js", "sales.js",
		"imports.js", "deliveries.js", "access.js", "audit.js"} {
		body, err := os.ReadFile("static/" + name)
		require.NoError(t, err)
		for _, at := range tables.FindAllStringIndex(string(body), -1) {
			count++
			table := string(body[at[0]:at[1]])
			require.Regexp(t, wrapped, string(body[:at[0]]), "%s: %s is not directly in a .table-wrap", name, table)
			if !strings.Contains(table, "trend") {
				require.Contains(t, table, "stack-narrow", "%s: %s does not stack on a phone", name, table)
			}
		}
	}
	require.GreaterOrEqual(t, count, 8, "every table of the dashboard is checked")
}

// Nothing is cut off on a laptop screen: "My sales" has eleven columns, and
// with headers that never wrapped its last ones were cut off at 1280 px; the
// menu scrolled sideways, so its last items could be out of sight with
// nothing to say they were there.
func TestNothingIsCutOffOnALaptop(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("static/pulse.css")
	require.NoError(t, err)
	rules := parseCSS(t, string(css))
	require.Equal(t, "wrap", declared(rules, "", "#nav", "flex-wrap"))
	require.Empty(t, declared(rules, "", "#nav", "overflow-x"), "the menu wraps, it does not scroll")
	require.Equal(t, "nowrap", declared(rules, "", "thead th", "white-space"), "other tables keep one-line headers")
	require.Equal(t, "normal", declared(rules, "", "table.sales thead th", "white-space"))
}
