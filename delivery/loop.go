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

// KindAction tells a member of a group about an action plan published on
// its results ("You said … We will …"), with buttons to react anonymously.
const KindAction Kind = "action"

// ActionMessage is a published action plan as its group is told about it.
type ActionMessage struct {
	PlanID    int64
	Title     string
	Heard     string
	WillDo    string
	OwnerName string
	// DueOn is the due date, YYYY-MM-DD.
	DueOn  string
	Status string
	// MinReactions is k: counts are shown only from this many reactions.
	MinReactions int
}

// OverdueAction is an open action plan past its due date, in a digest.
type OverdueAction struct {
	Title     string
	OwnerName string
	DueOn     string
	Status    string
}
