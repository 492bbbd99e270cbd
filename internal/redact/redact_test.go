package redact

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	r := New("xoxb-1234-5678-abcdef", "7312345678:AAFsecretTOKEN_x", "hunter22", "", "ab")
	for in, want := range map[string]string{
		"get https://wire.example.org/atom?token=s3cr3tvalue&lang=en: 502":         "get https://wire.example.org/atom?lang=en&token=[redacted]: 502",
		`Get "https://x.example/rss?apikey=K1&api_key=K2&sig=S&q=ok": EOF`:         `Get "https://x.example/rss?api_key=[redacted]&apikey=[redacted]&q=ok&sig=[redacted]": EOF`,
		"postgres://wirewatch:pa55word@db:5432/ww?sslmode=disable failed":          "postgres://wirewatch:[redacted]@db:5432/ww?sslmode=disable failed",
		"slack: invalid_auth for xoxb-1234-5678-abcdef":                            "slack: invalid_auth for [redacted]",
		"POST https://api.telegram.org/bot7312345678:AAFsecretTOKEN_x/sendMessage": "POST https://api.telegram.org/bot[redacted]/sendMessage",
		"POST https://api.telegram.org/bot999:OTHERtoken-x/getMe":                  "POST https://api.telegram.org/bot[redacted]/getMe",
		"password hunter22 in text":                                                "password [redacted] in text",
		"see https://example.org/a?b=c.":                                           "see https://example.org/a?b=c.",
		"(https://u:p@h.example/x).":                                               "(https://u:[redacted]@h.example/x).",
		"source=feed:http://h.example/a?lang=en&token=[redacted] err=x":            "source=feed:http://h.example/a?lang=en&token=[redacted] err=x",
		"(http://h.example/a?token=[redacted]).":                                   "(http://h.example/a?token=[redacted]).",
		"nothing to hide, ab, 1":                                                   "nothing to hide, ab, 1",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", in, got, want)
		}
	}
	r2 := New("hunter22/+")
	if got := r2.String("a=" + url.QueryEscape("hunter22/+")); strings.Contains(got, "hunter22") {
		t.Errorf("escaped secret kept: %q", got)
	}
	var nilR *Redactor
	if got := nilR.String("https://h.example/?token=abc"); got != "https://h.example/?token=[redacted]" {
		t.Errorf("nil redactor: %q", got)
	}
}

func TestError(t *testing.T) {
	r := New("s3cr3t-token")
	base := errors.New("boom")
	err := r.Error(fmt.Errorf("fetch https://h.example/feed?token=s3cr3t-token: %w", base))
	if strings.Contains(err.Error(), "s3cr3t") || !errors.Is(err, base) || !IsRedacted(err) {
		t.Errorf("Error: %v (Is %v)", err, errors.Is(err, base))
	}
	if e := r.Error(base); e != base {
		t.Error("an error with nothing to hide was wrapped")
	}
	if r.Error(nil) != nil {
		t.Error("nil")
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestHandler(t *testing.T) {
	var b bytes.Buffer
	r := New("tok-very-secret")
	for _, h := range []slog.Handler{slog.NewTextHandler(&b, nil), slog.NewJSONHandler(&b, nil)} {
		log := slog.New(r.Handler(h)).With("feed_url", "https://h.example/f?key=abc123").WithGroup("g")
		log.Error("fetch tok-very-secret failed",
			"err", fmt.Errorf("get https://h.example/f?token=xyz: %w", errors.New("502")),
			"token", "plain-value", "password", "pw", "n", 3,
			"who", stringer("by tok-very-secret"),
			slog.Group("inner", "url", "https://u:pw@h.example/"),
			"any", struct{ T string }{"tok-very-secret"})
	}
	out := b.String()
	for _, secret := range []string{"tok-very-secret", "abc123", "xyz", "plain-value", "u:pw@", `"pw"`, "=pw "} {
		if strings.Contains(out, secret) {
			t.Errorf("%q in the log:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"n=3", `"n":3`, "502", "h.example"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q lost from the log:\n%s", kept, out)
		}
	}
}

func TestAddLater(t *testing.T) {
	r := New()
	if got := r.String("wire-token-42"); got != "wire-token-42" {
		t.Fatal(got)
	}
	r.Add("wire-token-42", "wire-token-42", "x")
	if got := r.String("a wire-token-42 b"); got != "a [redacted] b" {
		t.Errorf("after Add: %q", got)
	}
	if err := Err(errors.New(`Get "https://h.example/f?token=abc": 500`)); strings.Contains(err.Error(), "abc") {
		t.Errorf("Err: %v", err)
	}
}
