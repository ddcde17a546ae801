package notify

import (
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestResolveLocale(t *testing.T) {
	t.Parallel()
	tests := []struct{ employee, survey, want string }{
		{"ms-MY", "en", LocaleMalay},
		{"en-US", "ms", LocaleEnglish},
		{"fr-FR", "ms", LocaleMalay},
		{"", "ms_MY", LocaleMalay},
		{"MS", "", LocaleMalay},
		{"fr-FR", "de", LocaleEnglish},
		{"", "", LocaleEnglish},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ResolveLocale(tt.employee, tt.survey), "%q then %q", tt.employee, tt.survey)
	}
}

var formatVerb = regexp.MustCompile(`%[a-z]`)

// Every language must say every sentence, with the same placeholders in the
// same order, or fmt would print %!d(MISSING) to an employee.
func TestCatalogsAreComplete(t *testing.T) {
	t.Parallel()
	reference := reflect.ValueOf(english)
	for lang, c := range catalogs {
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

func requireFilled(t *testing.T, name string, v reflect.Value) {
	t.Helper()
	if v.Kind() == reflect.Array {
		for i := range v.Len() {
			require.NotEmpty(t, v.Index(i).String(), "%s[%d]", name, i)
		}
		return
	}
	require.NotEmpty(t, v.String(), name)
}

func TestFormatDeadlineUsesThePersonsZone(t *testing.T) {
	t.Parallel()
	closes := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	berlin := time.FixedZone("Europe/Berlin", 3600)
	require.Equal(t, "Friday 4 December, 10:00 (Europe/Berlin)", english.formatDeadline(closes, berlin))
	require.Equal(t, "Jumaat 4 Disember, 09:00 (UTC)", malay.formatDeadline(closes, nil))
}
