package slack

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// Slack's documented example.
// Specs: https://docs.slack.dev/authentication/verifying-requests-from-slack
const (
	exampleSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTimestamp = "1531420618"
	exampleBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

var exampleTime = time.Unix(1531420618, 0)

func TestSignSlackExample(t *testing.T) {
	if got := Sign(exampleSecret, exampleTimestamp, []byte(exampleBody)); got != exampleSignature {
		t.Errorf("Sign = %s, want %s", got, exampleSignature)
	}
}

func TestVerifySignature(t *testing.T) {
	headers := func(sig, ts string) http.Header {
		h := http.Header{}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   string
		now    time.Time
		want   error
	}{
		{"slack example", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime, nil},
		{"4m59s later", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime.Add(299 * time.Second), nil},
		{"5m later", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime.Add(MaxClockSkew), nil},
		{"stale", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime.Add(MaxClockSkew + time.Second), ErrStale},
		{"from the future", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime.Add(-MaxClockSkew - time.Second), ErrStale},
		{"other secret", "0000000000000000000000000000000", headers(exampleSignature, exampleTimestamp), exampleBody, exampleTime, ErrBadSignature},
		{"body changed", exampleSecret, headers(exampleSignature, exampleTimestamp), exampleBody + "&text=rm", exampleTime, ErrBadSignature},
		{"timestamp changed", exampleSecret, headers(exampleSignature, "1531420619"), exampleBody, exampleTime, ErrBadSignature},
		{"bad timestamp", exampleSecret, headers(exampleSignature, "yesterday"), exampleBody, exampleTime, ErrBadSignature},
		{"no v0 prefix", exampleSecret, headers(exampleSignature[3:], exampleTimestamp), exampleBody, exampleTime, ErrBadSignature},
		{"upper-case hex", exampleSecret, headers("v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503", exampleTimestamp), exampleBody, exampleTime, ErrBadSignature},
		{"unsigned", exampleSecret, headers("", exampleTimestamp), exampleBody, exampleTime, ErrUnsigned},
		{"no timestamp", exampleSecret, headers(exampleSignature, ""), exampleBody, exampleTime, ErrUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(tt.secret, tt.h, []byte(tt.body), tt.now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("VerifySignature = %v, want %v", err, tt.want)
			}
		})
	}
}
