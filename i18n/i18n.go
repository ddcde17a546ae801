// Package i18n writes the server's own messages (validation reasons,
// conflicts, why a KPI or a driver is not shown) in the reader's language.
// Domain packages keep writing English with a format and its arguments; the
// API hands both here with the reader's locale. The English format is the
// key into each language's catalogue, as in gettext, so a message with no
// entry falls back to English rather than to a blank. It never imports
// HTTP and holds no state besides the catalogues.
package i18n

import (
	"fmt"
	"maps"
	"strings"
)

// Languages the server writes its messages in.
const (
	English = "en"
	Malay   = "ms"
)

var catalogues = map[string]map[string]string{Malay: malay}

// Text writes format with args in locale. A format the locale's catalogue
// lacks, or an unknown locale, gives the English text. An argument that is
// itself a catalogued message (a reason carried inside another) is
// translated too; other arguments (field names, values, kinds) stay as given.
func Text(locale, format string, args ...any) string {
	cat := catalogues[baseLocale(locale)]
	if cat == nil {
		return fmt.Sprintf(format, args...)
	}
	translated, ok := cat[format]
	if !ok {
		return fmt.Sprintf(format, args...)
	}
	// %w wraps an error for fmt.Errorf; here it is only written.
	return fmt.Sprintf(strings.ReplaceAll(translated, "%w", "%v"), localArgs(locale, cat, args)...)
}

// sourced is a message that keeps what it was written from (fault.Reason).
type sourced interface {
	MessageSource() (string, []any)
}

// localArgs translates the arguments that are messages themselves.
func localArgs(locale string, cat map[string]string, args []any) []any {
	local := make([]any, len(args))
	for i, a := range args {
		local[i] = a
		if s, ok := a.(sourced); ok {
			if format, inner := s.MessageSource(); Has(locale, format) {
				local[i] = Text(locale, format, inner...)
				continue
			}
		}
		if t, found := cat[argText(a)]; found && !strings.Contains(t, "%") {
			local[i] = t
		}
	}
	return local
}

// argText is the text of an argument that may itself be a message: a
// string or an error; "" for anything else.
func argText(a any) string {
	switch a := a.(type) {
	case string:
		return a
	case error:
		return a.Error()
	}
	return ""
}

// Phrase translates text kept whole, with no verbs to fill: text itself when
// locale's catalogue lacks it.
func Phrase(locale, text string) string {
	if t, ok := catalogues[baseLocale(locale)][text]; ok {
		return t
	}
	return text
}

// Has tells whether locale's catalogue holds format.
func Has(locale, format string) bool {
	_, ok := catalogues[baseLocale(locale)][format]
	return ok
}

// baseLocale turns "ms-MY" into "ms".
func baseLocale(locale string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(locale)), "-")
	return base
}

// Catalogue returns a copy of locale's catalogue, English format to
// translation.
func Catalogue(locale string) map[string]string {
	return maps.Clone(catalogues[baseLocale(locale)])
}
