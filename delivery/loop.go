package delivery

// KindOneOnOneFollowUp asks a participant, after a 1:1, to write down its
// notes and action items; it names the other participant, never a note.
const KindOneOnOneFollowUp Kind = "one_on_one_follow_up"

// OpenItem is one of the digest reader's own open 1:1 action items.
type OpenItem struct {
	Text string
	// With is the other participant of the 1:1 the item came from.
	With string
	// DueOn is the due date, YYYY-MM-DD, or "" when there is none.
	DueOn string
}
