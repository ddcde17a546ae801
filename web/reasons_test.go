package web_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/delivery"
)

// Every reason the server records in words of its own is said in the
// reader's language on the deliveries page and the round's summary: the
// page maps each, word for word, to a string it has in English and Malay.
func TestDeliveryReasonsInWordsAreTranslatedOnThePage(t *testing.T) {
	js, err := os.ReadFile("static/deliveries.js")
	require.NoError(t, err)
	for _, reason := range []string{delivery.ReasonNotConfigured, delivery.ReasonInterrupted,
		delivery.ReasonDeactivated, delivery.ReasonRoundClosed} {
		require.Contains(t, string(js), strconv.Quote(reason)+": \"deliveries.", "deliveries.js has no translation for %q", reason)
	}
}
