package page_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

type item struct {
	name string
	id   int64
}

func key(it item) (string, int64) { return it.name, it.id }

func field(t *testing.T, err error) string {
	t.Helper()
	invalid, ok := errors.AsType[*fault.Invalid](err)
	require.True(t, ok, "%v", err)
	return invalid.Problems[0].Field
}

func TestSliceWalksAListComputedInGo(t *testing.T) {
	t.Parallel()
	all := []item{{"a", 3}, {"a", 1}, {"b", 2}, {"c", 9}, {"d", 4}}
	var seen []item
	cursor, pages := "", 0
	for {
		rows, next, err := page.Slice(all, page.Request{Limit: 2, Cursor: cursor}, key)
		require.NoError(t, err)
		seen, pages = append(seen, rows...), pages+1
		if next == "" {
			break
		}
		cursor = next
	}
	require.Equal(t, all, seen)
	require.Equal(t, 3, pages)

	rows, next, err := page.Slice(all, page.Request{}, key)
	require.NoError(t, err)
	require.Equal(t, all, rows, "the default limit holds them all")
	require.Empty(t, next)
}

func TestBadLimitsAndCursorsNameTheirField(t *testing.T) {
	t.Parallel()
	all := []item{{"a", 1}, {"b", 2}, {"c", 3}}
	_, next, err := page.Slice(all, page.Request{Limit: 1}, key)
	require.NoError(t, err)
	for _, r := range []page.Request{{Limit: -1}, {Limit: page.MaxLimit + 1}} {
		_, _, err := page.Slice(all, r, key)
		require.Equal(t, "limit", field(t, err))
	}
	for _, cursor := range []string{"%%%", "bm90IGpzb24", "eyJpZCI6MH0", "eyJ0IjoiMjAyNi0wMS0wMVQwMDowMDowMFoiLCJpZCI6MX0"} {
		_, _, err := page.Slice(all, page.Request{Cursor: cursor}, key)
		require.Equal(t, "cursor", field(t, err), cursor)
	}
	_, _, err = page.Slice(all[:2], page.Request{Cursor: next}, key)
	require.NoError(t, err, "a cursor names a row, wherever it is")
	_, _, err = page.Slice(all[2:], page.Request{Cursor: next}, key)
	require.Equal(t, "cursor", field(t, err), "a cursor naming a row the list no longer has")
}
