package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Errors of VerifySignature.
var (
	// ErrUnsigned means the signature or timestamp header is missing.
	ErrUnsigned = errors.New("slack: request is not signed")
	// ErrStale means the request's timestamp is more than MaxClockSkew away
	// from now, in either direction: an old request replayed, or a wrong clock.
	ErrStale = errors.New("slack: request timestamp is too far from now")
	// ErrBadSignature means the signature does not match the body.
	ErrBadSignature = errors.New("slack: request signature does not match")
)

// MaxClockSkew is how far a signed request's timestamp may be from now.
const MaxClockSkew = 5 * time.Minute

// Headers of a signed Slack request.
const (
	headerSignature = "X-Slack-Signature"
	headerTimestamp = "X-Slack-Request-Timestamp"
)

// Sign returns the X-Slack-Signature of body sent at timestamp (Unix
// seconds, as in X-Slack-Request-Timestamp): "v0=" and the hex HMAC-SHA256
// of "v0:{timestamp}:{body}" keyed with the signing secret.
// Specs: https://docs.slack.dev/authentication/verifying-requests-from-slack
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks that body, with its request headers h, was signed
// by Slack with secret no more than MaxClockSkew from now. It returns nil,
// ErrUnsigned, ErrStale or ErrBadSignature (possibly wrapped).
func VerifySignature(secret string, h http.Header, body []byte, now time.Time) error {
	sig, ts := h.Get(headerSignature), h.Get(headerTimestamp)
	if sig == "" || ts == "" {
		return ErrUnsigned
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: bad timestamp %q", ErrBadSignature, ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxClockSkew || d < -MaxClockSkew {
		return ErrStale
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig)) {
		return ErrBadSignature
	}
	return nil
}
