package survey

// Question kinds (PRODUCT.md section 2). They are plain strings because they travel
// unchanged through JSON, SQL and Slack payloads.
const (
	KindENPS   = "enps"   // the recommend question, 1..10 (or 0..10 per survey)
	KindScale  = "scale"  // 1..5 agreement
	KindYesNo  = "yes_no" // a boolean
	KindChoice = "choice" // one of 2..10 options
	KindText   = "text"   // a free comment
)

// ValidKind reports whether kind is one of the question kinds above.
func ValidKind(kind string) bool {
	switch kind {
	case KindENPS, KindScale, KindYesNo, KindChoice, KindText:
		return true
	}
	return false
}
