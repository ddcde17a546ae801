package notify

import (
	"fmt"
	"time"
)

// loopCatalog holds the sentences of the follow-through messages (a 1:1's
// follow-up, open action items in the digest), for one language. It sits
// beside catalog, and the same completeness test covers it.
type loopCatalog struct {
	followUp        string // %s: the other participant
	followUpAsk     string // %s: link to the series
	digestItems     string
	digestItem      string // %s: item, %s: the other participant
	digestItemDue   string // %s: item, %s: the other participant, %s: due date
	digestItemsMore string // %d: how many more
}

var loopCatalogs = map[string]*loopCatalog{
	LocaleEnglish: &loopEnglish,
	LocaleMalay:   &loopMalay,
}

var loopEnglish = loopCatalog{
	followUp:        ":memo: How did your 1:1 with *%s* go? Nothing has been written down for it yet.",
	followUpAsk:     "<%s|Add notes and action items> while it is fresh. Private notes are seen by you alone.",
	digestItems:     "*Your open 1:1 action items*",
	digestItem:      "• %s (with %s)",
	digestItemDue:   "• %s (with %s, due %s)",
	digestItemsMore: "and %d more in the dashboard",
}

var loopMalay = loopCatalog{
	followUp:        ":memo: Bagaimanakah 1:1 anda bersama *%s*? Belum ada apa-apa yang dicatat untuknya.",
	followUpAsk:     "<%s|Tambah nota dan item tindakan> selagi ingatan masih segar. Nota peribadi hanya dilihat oleh anda.",
	digestItems:     "*Item tindakan 1:1 anda yang belum selesai*",
	digestItem:      "• %s (bersama %s)",
	digestItemDue:   "• %s (bersama %s, tarikh akhir %s)",
	digestItemsMore: "dan %d lagi di papan pemuka",
}

func loopCatalogFor(locale string) *loopCatalog {
	return loopCatalogs[ResolveLocale(locale, "")]
}

// formatDay writes a date such as 2026-12-04 as "Friday 4 December 2026";
// anything that is not such a date is shown as it is.
func (c *catalog) formatDay(date string) string {
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return fmt.Sprintf("%s %d %s %d", c.weekdays[day.Weekday()], day.Day(), c.months[day.Month()-1], day.Year())
}
