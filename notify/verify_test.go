package notify_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

// Slack's own worked example from "Verifying requests from Slack".
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

var docSignedAt = time.Unix(1531420618, 0)

func signedHeader(timestamp, signature string) http.Header {
	h := http.Header{}
	if timestamp != "" {
		h.Set(notify.HeaderTimestamp, timestamp)
	}
	if signature != "" {
		h.Set(notify.HeaderSignature, signature)
	}
	return h
}

func TestVerifyRequest(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		header  http.Header
		body    string
		secret  string
		now     time.Time
		wantErr error
	}{
		{"slack's example at its own time", signedHeader(docTimestamp, docSignature), docBody, docSecret, docSignedAt, nil},
		{"slack's example replayed today", signedHeader(docTimestamp, docSignature), docBody, docSecret, today, notify.ErrStaleRequest},
		{"edge of window in the past", signedHeader(docTimestamp, docSignature), docBody, docSecret, docSignedAt.Add(5 * time.Minute), nil},
		{"edge of window in the future", signedHeader(docTimestamp, docSignature), docBody, docSecret, docSignedAt.Add(-5 * time.Minute), nil},
		{"just too old", signedHeader(docTimestamp, docSignature), docBody, docSecret, docSignedAt.Add(5*time.Minute + time.Second), notify.ErrStaleRequest},
		{"from beyond the future window", signedHeader(docTimestamp, docSignature), docBody, docSecret, docSignedAt.Add(-5*time.Minute - time.Second), notify.ErrStaleRequest},
		{"tampered body", signedHeader(docTimestamp, docSignature), strings.Replace(docBody, "roadrunner", "coyote", 1), docSecret, docSignedAt, notify.ErrSignatureMismatch},
		{"wrong secret", signedHeader(docTimestamp, docSignature), docBody, "another-secret", docSignedAt, notify.ErrSignatureMismatch},
		{"timestamp swapped after signing", signedHeader("1531420619", docSignature), docBody, docSecret, docSignedAt, notify.ErrSignatureMismatch},
		{"no secret configured", signedHeader(docTimestamp, docSignature), docBody, "", docSignedAt, notify.ErrNoSigningSecret},
		{"no headers", http.Header{}, docBody, docSecret, docSignedAt, notify.ErrMissingSignature},
		{"no signature", signedHeader(docTimestamp, ""), docBody, docSecret, docSignedAt, notify.ErrMissingSignature},
		{"no timestamp", signedHeader("", docSignature), docBody, docSecret, docSignedAt, notify.ErrMissingSignature},
		{"timestamp not a number", signedHeader("yesterday", docSignature), docBody, docSecret, docSignedAt, notify.ErrMalformedRequest},
		{"unknown signature version", signedHeader(docTimestamp, "v1="+docSignature[3:]), docBody, docSecret, docSignedAt, notify.ErrMalformedRequest},
		{"signature not hex", signedHeader(docTimestamp, "v0=not-hex"), docBody, docSecret, docSignedAt, notify.ErrMalformedRequest},
		{"signature truncated", signedHeader(docTimestamp, docSignature[:40]), docBody, docSecret, docSignedAt, notify.ErrMalformedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := notify.VerifyRequest(tt.header, []byte(tt.body), tt.secret, tt.now)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestSignRequestReproducesSlacksExample(t *testing.T) {
	t.Parallel()
	require.Equal(t, docSignature, notify.SignRequest(docSecret, docSignedAt.Unix(), []byte(docBody)))
}

func TestRequireSignature(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	fresh := strconv.FormatInt(now.Unix(), 10)
	tests := []struct {
		name       string
		body       string
		header     http.Header
		wantStatus int
	}{
		{"signed now", docBody, signedHeader(fresh, notify.SignRequest(docSecret, now.Unix(), []byte(docBody))), http.StatusOK},
		{"slack's example is a replay today", docBody, signedHeader(docTimestamp, docSignature), http.StatusUnauthorized},
		{"unsigned", docBody, http.Header{}, http.StatusUnauthorized},
		{"tampered", docBody + "&x=1", signedHeader(fresh, notify.SignRequest(docSecret, now.Unix(), []byte(docBody))), http.StatusUnauthorized},
		{"too large", strings.Repeat("a", notify.MaxSignedBody+1), http.Header{}, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var seenBody, seenCommand string
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, err := io.ReadAll(r.Body)
				require.NoError(t, err)
				seenBody = string(raw)
				r.Body = io.NopCloser(strings.NewReader(seenBody))
				seenCommand = r.FormValue("command")
			})
			handler := notify.RequireSignature(docSecret, func() time.Time { return now }, next)
			req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(tt.body))
			req.Header = tt.header
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()

			handler.ServeHTTP(rec, req)

			require.Equal(t, tt.wantStatus, rec.Code)
			if tt.wantStatus == http.StatusOK {
				require.Equal(t, tt.body, seenBody, "next handler sees the exact signed body")
				require.Equal(t, "/webhook-collect", seenCommand)
			} else {
				require.Empty(t, seenBody, "next handler must not run")
			}
		})
	}
}

// Verifying a survey DM tap's signature, as every Slack request is.
// Run: go test ./notify -run '^$' -bench VerifyRequest
func BenchmarkVerifyRequest(b *testing.B) {
	body, err := os.ReadFile("testdata/interactions/enps_tap_dm.json")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1764493200, 0)
	header := http.Header{}
	header.Set(notify.HeaderTimestamp, "1764493200")
	header.Set(notify.HeaderSignature, notify.SignRequest("bench-signing-secret", now.Unix(), body))
	b.ReportAllocs()
	for b.Loop() {
		if err := notify.VerifyRequest(header, body, "bench-signing-secret", now); err != nil {
			b.Fatal(err)
		}
	}
}
