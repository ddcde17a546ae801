package notify

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// The follow-through sentences must be complete in every language too.
func TestLoopCatalogsAreComplete(t *testing.T) {
	t.Parallel()
	require.Len(t, loopCatalogs, len(catalogs))
	reference := reflect.ValueOf(loopEnglish)
	for lang, c := range loopCatalogs {
		require.NotNil(t, catalogs[lang], lang)
		value := reflect.ValueOf(*c)
		for i := range value.NumField() {
			field := value.Type().Field(i).Name
			requireFilled(t, lang+"."+field, value.Field(i))
			if value.Field(i).Kind() == reflect.String {
				require.Equal(t, formatVerb.FindAllString(reference.Field(i).String(), -1),
					formatVerb.FindAllString(value.Field(i).String(), -1), "%s.%s placeholders", lang, field)
			}
		}
	}
}

func TestFormatDayNamesTheWeekday(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Friday 4 December 2026", english.formatDay("2026-12-04"))
	require.Equal(t, "Jumaat 4 Disember 2026", malay.formatDay("2026-12-04"))
	require.Equal(t, "soon", english.formatDay("soon"))
}
