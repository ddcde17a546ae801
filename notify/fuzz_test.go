package notify_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
)

// FuzzVerifyRequest: a request Pulse signed the Slack way verifies, within
// five minutes either way; a changed body, secret or clock beyond the
// window does not; and headers an attacker chose pass only when they carry
// the HMAC of the very timestamp and body, whatever else they hold.
func FuzzVerifyRequest(f *testing.F) {
	f.Add("8f742231b10e8888abcd99yyyzzz85a5", int64(1531420618), []byte("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweatherplease"),
		int64(0), "1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
	f.Fuzz(func(t *testing.T, secret string, stamp int64, body []byte, skew int64, givenStamp, givenSignature string) {
		stamp %= 1 << 40 // far beyond any clock, still a time.Time
		skew %= 1 << 20
		signed := http.Header{}
		signed.Set(notify.HeaderTimestamp, strconv.FormatInt(stamp, 10))
		signed.Set(notify.HeaderSignature, notify.SignRequest(secret, stamp, body))
		now := time.Unix(stamp+skew, 0)
		err := notify.VerifyRequest(signed, body, secret, now)
		inWindow := time.Duration(max(skew, -skew))*time.Second <= notify.SignatureWindow
		switch {
		case secret == "":
			requireIs(t, err, notify.ErrNoSigningSecret)
			return
		case inWindow && err != nil:
			t.Fatalf("a request signed with the secret at %d is refused at %v: %v", stamp, now, err)
		case !inWindow:
			requireIs(t, err, notify.ErrStaleRequest)
		}
		at := time.Unix(stamp, 0)
		requireIs(t, notify.VerifyRequest(signed, append(bytes.Clone(body), 'x'), secret, at), notify.ErrSignatureMismatch)
		requireIs(t, notify.VerifyRequest(signed, body, secret+"x", at), notify.ErrSignatureMismatch)

		chosen := http.Header{notify.HeaderTimestamp: {givenStamp}, notify.HeaderSignature: {givenSignature}}
		err = notify.VerifyRequest(chosen, body, secret, now)
		if err == nil && !strings.EqualFold(givenSignature, slackSignature(secret, givenStamp, body)) {
			t.Fatalf("signature %q for timestamp %q was accepted", givenSignature, givenStamp)
		}
		if err != nil && !isVerifyError(err) {
			t.Fatalf("unexpected error %v", err)
		}
		checkMiddleware(t, chosen, body, secret, now, err == nil)
	})
}

// slackSignature is Slack's documented algorithm, written out apart from
// the code under test.
func slackSignature(secret, stamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + stamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// checkMiddleware: RequireSignature lets the request through exactly when
// VerifyRequest would, with the body unchanged, and refuses it otherwise.
func checkMiddleware(t *testing.T, header http.Header, body []byte, secret string, now time.Time, valid bool) {
	var reached []byte
	handler := notify.RequireSignature(secret, func() time.Time { return now }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached, _ = io.ReadAll(r.Body)
		if reached == nil {
			reached = []byte{}
		}
	}))
	req := httptest.NewRequest(http.MethodPost, "/slack/interactions", bytes.NewReader(body))
	req.Header = header
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	switch {
	case valid && (reached == nil || !bytes.Equal(reached, body)):
		t.Fatalf("a valid request reached the handler with %q, want %q", reached, body)
	case !valid && reached != nil:
		t.Fatal("an invalid request reached the handler")
	case !valid && len(body) <= notify.MaxSignedBody && rec.Code != http.StatusUnauthorized:
		t.Fatalf("an invalid request got %d, want 401", rec.Code)
	}
}

func isVerifyError(err error) bool {
	for _, known := range []error{notify.ErrNoSigningSecret, notify.ErrMissingSignature, notify.ErrMalformedRequest,
		notify.ErrStaleRequest, notify.ErrSignatureMismatch} {
		if errors.Is(err, known) {
			return true
		}
	}
	return false
}

func requireIs(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

// Where a fuzzed payload goes: what Slack posts to each endpoint.
const (
	toInteractions = iota // form field payload= holding JSON
	toCommands            // a form, as slash commands arrive
	toEvents              // JSON, as the Events API posts it
	endpoints
)

// FuzzSlackPayloads sends whatever Slack might sign to the three endpoints
// of an app over a real database with an open round: every payload is
// acknowledged (200) or refused as unreadable (400), never a 5xx or a
// panic, in the request or in the work it starts; a reply is JSON (or the
// URL-verification challenge); and the same bytes with a signature made
// for other bytes are refused with 401 before anything happens.
func FuzzSlackPayloads(f *testing.F) {
	h := newHarness(f, dbtest.SQLite(f))
	for _, rep := range h.reps {
		h.send(rep) // the round has reached them: their taps count
	}
	app := notify.NewApp(notify.AppConfig{
		Slack: h.fake.Client(), Surveys: h.surveys, People: testPeople{h.dir}, SignIns: h.signIns,
		SigningSecret: signingSecret, BaseURL: "https://pulse.example.com", Now: func() time.Time { return h.now },
		Logger: slog.New(slog.DiscardHandler), // testing.F may not log from inside the fuzz function
	})
	f.Cleanup(app.Wait)
	handlers := map[int]http.Handler{}
	for _, e := range app.Endpoints() {
		switch e.Path {
		case "/slack/interactions":
			handlers[toInteractions] = e.Handler
		case "/slack/commands":
			handlers[toCommands] = e.Handler
		case "/slack/events":
			handlers[toEvents] = e.Handler
		}
	}
	f.Add(uint8(toCommands), "command=%2Fpulse&text=dashboard&user_id=U0REP1&team_id=T1")
	fixtures, err := filepath.Glob("testdata/interactions/*.json") // every interaction kind, as Slack posts it
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range fixtures {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(toInteractions), string(raw))
	}
	f.Fuzz(func(t *testing.T, to uint8, payload string) {
		endpoint := int(to) % endpoints
		body, contentType := []byte(payload), "application/json"
		switch endpoint {
		case toInteractions:
			body, contentType = []byte("payload="+url.QueryEscape(payload)), "application/x-www-form-urlencoded"
		case toCommands:
			contentType = "application/x-www-form-urlencoded"
		}
		calls := len(h.fake.Calls())
		forged := send(handlers[endpoint], contentType, body, notify.SignRequest(signingSecret, h.now.Unix(), append(bytes.Clone(body), ' ')), h.now)
		app.Wait()
		if forged.Code != http.StatusUnauthorized || len(h.fake.Calls()) != calls {
			t.Fatalf("a forged request got %d and made %d Slack calls", forged.Code, len(h.fake.Calls())-calls)
		}
		rec := send(handlers[endpoint], contentType, body, notify.SignRequest(signingSecret, h.now.Unix(), body), h.now)
		app.Wait()
		checkAcknowledgement(t, endpoint, rec)
	})
}

func send(handler http.Handler, contentType string, body []byte, signature string, now time.Time) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(notify.HeaderSignature, signature)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	return rec
}

func checkAcknowledgement(t *testing.T, endpoint int, rec *httptest.ResponseRecorder) {
	switch {
	case rec.Code == http.StatusBadRequest && endpoint != toEvents:
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("a refusal is not JSON: %q", rec.Body)
		}
	case rec.Code != http.StatusOK:
		t.Fatalf("endpoint %d answered %d: %s", endpoint, rec.Code, rec.Body)
	case rec.Body.Len() == 0:
	case strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json"):
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("the acknowledgement is not JSON: %q", rec.Body)
		}
	case endpoint != toEvents || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain"):
		t.Fatalf("endpoint %d answered %q as %q", endpoint, rec.Body, rec.Header().Get("Content-Type"))
	}
}

// FuzzOpenSurveyValue: the "Answer the whole survey" button's value gives
// back the round it was made for, and any value accepted re-encodes to
// itself, so nothing Slack hands back is read two ways.
func FuzzOpenSurveyValue(f *testing.F) {
	f.Add("1", "r=1")
	f.Fuzz(func(t *testing.T, roundID, value string) {
		if roundID != "" {
			back, err := notify.DecodeOpenSurvey(notify.EncodeOpenSurvey(roundID))
			if len(notify.EncodeOpenSurvey(roundID)) <= 2000 && (err != nil || back != roundID) {
				t.Fatalf("round %q came back as %q, %v", roundID, back, err)
			}
		}
		if decoded, err := notify.DecodeOpenSurvey(value); err == nil && notify.EncodeOpenSurvey(decoded) != value {
			t.Fatalf("%q was accepted as round %q, which encodes as %q", value, decoded, notify.EncodeOpenSurvey(decoded))
		}
	})
}
