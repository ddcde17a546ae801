package notify

import (
	"fmt"
	"time"

	"github.com/pulsehq/pulse/action"
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

	actionIntro      string // %s: title
	actionHeard      string // %s: what we heard
	actionWillDo     string // %s: what we will do
	actionMeta       string // %s: owner, %s: due date, %s: status
	actionHelps      string
	actionNotYet     string
	actionPrivacy    string // %d: k
	statuses         [4]string
	reacted          string // %s: the reaction chosen
	reactionsClosed  string
	notYourAction    string
	homePlans        string
	homePlanLine     string // %s: title, %s: what we will do, %s: status, %s: due date
	homeCounts       string // %d: helps, %d: not yet
	homeCountsHidden string // %d: k
	homeYours        string // %s: the reaction chosen
	progressLine     string // %s: title, %s: status, %s: due date
	digestOverdue    string
	digestOverdueRow string // %s: title, %s: status, %s: owner, %s: due date
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

	actionIntro:      ":loudspeaker: An action on your team's survey results: *%s*",
	actionHeard:      "*You said:* %s",
	actionWillDo:     "*We will:* %s",
	actionMeta:       "Owner: %s · due %s · %s",
	actionHelps:      "This helps",
	actionNotYet:     "Doesn't help yet",
	actionPrivacy:    ":lock: Your reaction is anonymous, and you can change it while the action is open. Counts are shown once at least %d people have reacted.",
	statuses:         [4]string{"Planned", "In progress", "Done", "Dropped"},
	reacted:          "Thank you: recorded as “%s”, without your name. You can change it while the action is open.",
	reactionsClosed:  "This action is finished, so reactions are closed.",
	notYourAction:    "That action is not one for your team, so nothing was recorded.",
	homePlans:        "Actions on your team's results",
	homePlanLine:     "*%s*: %s\n_%s · due %s_",
	homeCounts:       "%d say this helps, %d say it doesn't help yet",
	homeCountsHidden: "Reactions are shown once at least %d people have reacted.",
	homeYours:        "Your reaction: %s",
	progressLine:     ":arrows_counterclockwise: Progress on *%s*: %s, due %s.",
	digestOverdue:    "*Overdue actions*",
	digestOverdueRow: "• %s (%s, owner %s, was due %s)",
}

var loopMalay = loopCatalog{
	followUp:        ":memo: Bagaimanakah 1:1 anda bersama *%s*? Belum ada apa-apa yang dicatat untuknya.",
	followUpAsk:     "<%s|Tambah nota dan item tindakan> selagi ingatan masih segar. Nota peribadi hanya dilihat oleh anda.",
	digestItems:     "*Item tindakan 1:1 anda yang belum selesai*",
	digestItem:      "• %s (bersama %s)",
	digestItemDue:   "• %s (bersama %s, tarikh akhir %s)",
	digestItemsMore: "dan %d lagi di papan pemuka",

	actionIntro:      ":loudspeaker: Satu tindakan berdasarkan keputusan tinjauan pasukan anda: *%s*",
	actionHeard:      "*Anda berkata:* %s",
	actionWillDo:     "*Kami akan:* %s",
	actionMeta:       "Pemilik: %s · tarikh akhir %s · %s",
	actionHelps:      "Ini membantu",
	actionNotYet:     "Belum membantu lagi",
	actionPrivacy:    ":lock: Reaksi anda tanpa nama, dan boleh diubah selagi tindakan ini masih dibuka. Kiraan ditunjukkan setelah sekurang-kurangnya %d orang memberi reaksi.",
	statuses:         [4]string{"Dirancang", "Sedang dijalankan", "Selesai", "Digugurkan"},
	reacted:          "Terima kasih: direkodkan sebagai “%s”, tanpa nama anda. Anda boleh mengubahnya selagi tindakan ini masih dibuka.",
	reactionsClosed:  "Tindakan ini telah tamat, jadi reaksi sudah ditutup.",
	notYourAction:    "Tindakan itu bukan untuk pasukan anda, jadi tiada apa yang direkodkan.",
	homePlans:        "Tindakan atas keputusan pasukan anda",
	homePlanLine:     "*%s*: %s\n_%s · tarikh akhir %s_",
	homeCounts:       "%d orang kata ini membantu, %d orang kata belum membantu lagi",
	homeCountsHidden: "Reaksi ditunjukkan setelah sekurang-kurangnya %d orang memberi reaksi.",
	homeYours:        "Reaksi anda: %s",
	progressLine:     ":arrows_counterclockwise: Kemajuan *%s*: %s, tarikh akhir %s.",
	digestOverdue:    "*Tindakan yang telah melepasi tarikh akhir*",
	digestOverdueRow: "• %s (%s, pemilik %s, tarikh akhir %s)",
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

// status names a plan status in the person's language.
func (lc *loopCatalog) status(s string) string {
	for i, known := range action.Statuses {
		if s == known {
			return lc.statuses[i]
		}
	}
	return s
}
