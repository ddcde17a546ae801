package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// catalogs reads the strings every module of web/static registers with
// i18n.js's strings({en: {…}, ms: {…}}): one "key": value per line inside
// each language's block, as the i18n.js comment asks.
func catalogs(t *testing.T) (map[string]map[string]string, map[string][]string) {
	t.Helper()
	keyLine := regexp.MustCompile(`^\s*"([a-z0-9_]+\.[A-Za-z0-9_.]+)":`)
	blockStart := regexp.MustCompile(`^\s*(en|ms): \{`)
	tCall := regexp.MustCompile(`\bt\(\s*"([^"]+)"\s*[,)]`)
	defined := map[string]map[string]string{"en": {}, "ms": {}}
	used := map[string][]string{}
	files, err := filepath.Glob("static/*.js")
	require.NoError(t, err)
	for _, file := range files {
		text, err := os.ReadFile(file)
		require.NoError(t, err)
		lang, depth := "", 0
		for i, line := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue // i18n.js's example
			}
			if m := blockStart.FindStringSubmatch(line); m != nil && lang == "" {
				lang, depth = m[1], 0
			}
			if lang != "" {
				if m := keyLine.FindStringSubmatch(line); m != nil && depth == 1 {
					where, seen := defined[lang][m[1]]
					require.False(t, seen, "%s:%d registers %s (%s) again; it is already in %s", file, i+1, m[1], lang, where)
					defined[lang][m[1]] = filepath.Base(file)
				}
				depth += strings.Count(line, "{") - strings.Count(line, "}")
				if depth <= 0 {
					lang = ""
				}
			}
			for _, m := range tCall.FindAllStringSubmatch(line, -1) {
				used[m[1]] = append(used[m[1]], filepath.Base(file))
			}
		}
	}
	return defined, used
}

func TestEveryStringIsInEnglishAndMalay(t *testing.T) {
	defined, used := catalogs(t)
	require.Greater(t, len(defined["en"]), 60, "the scan found too few strings: has the strings({…}) layout changed?")
	var problems []string
	for _, pair := range [][2]string{{"en", "ms"}, {"ms", "en"}} {
		for key, file := range defined[pair[0]] {
			if _, ok := defined[pair[1]][key]; !ok {
				problems = append(problems, file+": "+key+" has no "+pair[1]+" text")
			}
		}
	}
	for key, files := range used {
		if _, ok := defined["en"][key]; !ok {
			problems = append(problems, strings.Join(files, ", ")+": t(\""+key+"\") is registered nowhere")
		}
	}
	sort.Strings(problems)
	require.Empty(t, problems)
}

// Static text in index.html is filled in by key, so its keys must exist too.
func TestEveryPageKeyIsRegistered(t *testing.T) {
	defined, _ := catalogs(t)
	page, err := os.ReadFile("static/index.html")
	require.NoError(t, err)
	attr := regexp.MustCompile(`data-i18n(?:-label|-placeholder)?="([^"]+)"`)
	matches := attr.FindAllStringSubmatch(string(page), -1)
	require.NotEmpty(t, matches)
	for _, m := range matches {
		require.Contains(t, defined["en"], m[1], "index.html uses %s", m[1])
		require.Contains(t, defined["ms"], m[1], "index.html uses %s", m[1])
	}
}
