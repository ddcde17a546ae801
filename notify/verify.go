package notify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names Slack uses to sign every request it sends to an app.
const (
	HeaderSignature = "X-Slack-Signature"
	HeaderTimestamp = "X-Slack-Request-Timestamp"
)

const (
	// SignatureWindow is how far a request's timestamp may be from our clock,
	// in either direction, before it is treated as a replay.
	SignatureWindow = 5 * time.Minute
	// MaxSignedBody bounds what RequireSignature reads: Slack's interaction
	// payloads are a few KiB, so anything near this size is not from Slack.
	MaxSignedBody = 1 << 20

	signatureVersion = "v0"
)

// Reasons a request fails verification. All of them mean "not from Slack"
// to the caller; they are distinct so logs can say which check failed.
var (
	ErrNoSigningSecret   = errors.New("notify: no Slack signing secret configured")
	ErrMissingSignature  = errors.New("notify: missing Slack signature headers")
	ErrMalformedRequest  = errors.New("notify: malformed Slack signature headers")
	ErrStaleRequest      = errors.New("notify: Slack request timestamp outside the allowed window")
	ErrSignatureMismatch = errors.New("notify: Slack signature does not match")
)

// VerifyRequest checks that body was signed by Slack with signingSecret and
// that the signature's timestamp lies within SignatureWindow of now.
//
// slack.NewSecretsVerifier does the same arithmetic but reads the wall clock
// itself, so tests could not pin time; this is the same few lines with now
// passed in.
func VerifyRequest(header http.Header, body []byte, signingSecret string, now time.Time) error {
	if signingSecret == "" {
		return ErrNoSigningSecret
	}
	stamp, given := header.Get(HeaderTimestamp), header.Get(HeaderSignature)
	if stamp == "" || given == "" {
		return ErrMissingSignature
	}
	signedAt, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", ErrMalformedRequest, stamp)
	}
	givenMAC, err := decodeSignature(given)
	if err != nil {
		return err
	}
	if now.Sub(time.Unix(signedAt, 0)).Abs() > SignatureWindow {
		return ErrStaleRequest
	}
	if !hmac.Equal(givenMAC, computeSignature(signingSecret, stamp, body)) {
		return ErrSignatureMismatch
	}
	return nil
}

// SignRequest produces the X-Slack-Signature value Slack would send for body.
// Pulse itself never signs; this exists so tests and local tools can forge
// valid requests without copying the algorithm.
func SignRequest(signingSecret string, timestamp int64, body []byte) string {
	mac := computeSignature(signingSecret, strconv.FormatInt(timestamp, 10), body)
	return signatureVersion + "=" + hex.EncodeToString(mac)
}

func computeSignature(secret, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signatureVersion + ":" + timestamp + ":"))
	mac.Write(body)
	return mac.Sum(nil)
}

func decodeSignature(header string) ([]byte, error) {
	digest, ok := strings.CutPrefix(header, signatureVersion+"=")
	if !ok {
		return nil, fmt.Errorf("%w: unknown signature version", ErrMalformedRequest)
	}
	mac, err := hex.DecodeString(digest)
	if err != nil || len(mac) != sha256.Size {
		return nil, fmt.Errorf("%w: signature is not a hex SHA-256 digest", ErrMalformedRequest)
	}
	return mac, nil
}

// RequireSignature lets a request through to next only when Slack signed it.
// It reads the raw body (at most MaxSignedBody bytes) before anything parses
// it, because form parsing would consume the bytes the signature covers, then
// hands next an identical, rewound body. Refusals are 401 (413 for a body too
// large) with no detail, so a prober learns nothing about which check failed.
// now may be nil for the wall clock.
func RequireSignature(secret string, now func() time.Time, next http.Handler) http.Handler {
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSignedBody))
		if err != nil {
			refuseUnreadableBody(w, err)
			return
		}
		if err := VerifyRequest(r.Header, body, secret, now()); err != nil {
			refuse(w, http.StatusUnauthorized, "unauthenticated", "the request does not carry a valid Slack signature")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

func refuseUnreadableBody(w http.ResponseWriter, err error) {
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
		refuse(w, http.StatusRequestEntityTooLarge, "body_too_large", "the request body is too large")
		return
	}
	refuse(w, http.StatusBadRequest, "bad_request", "the request body cannot be read")
}

// refuse answers in Pulse's one error shape, as the rest of the API does.
func refuse(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": message, "details": []any{}}})
}
