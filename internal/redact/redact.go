// Package redact hides secrets in text before it is logged or shown: every
// configured secret (tokens, signing secrets, passwords), the password of
// a URL's user part, and the value of every URL query parameter whose name
// looks like a credential (token, key, secret, password, sig, apikey...).
// One Redactor serves the whole bot: its Handler wraps the slog handler,
// so every log record passes through it, and Error wraps errors that are
// shown elsewhere (/status, outbox rows).
package redact

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
)

// Mask replaces every secret.
const Mask = "[redacted]"

// minSecret is the shortest configured secret that is masked: shorter
// values ("1", "true") would mask ordinary words.
const minSecret = 6

// Redactor masks secrets in text. The zero value and nil mask only
// credentials in URLs. It is safe for concurrent use, Add included.
type Redactor struct {
	secrets atomic.Pointer[[]string] // longest first
}

// New returns a redactor for the secrets given (empty and short ones are
// ignored) and the credentials in URLs.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add makes r mask the secrets given too (empty and short ones are
// ignored): secrets learnt after start, such as the values of ${VAR}s in
// rules.yaml whose names look like credentials.
func (r *Redactor) Add(secrets ...string) {
	for {
		old := r.secrets.Load()
		var list []string
		if old != nil {
			list = slices.Clone(*old)
		}
		for _, s := range secrets {
			s = strings.TrimSpace(s)
			if len(s) < minSecret || slices.Contains(list, s) {
				continue
			}
			list = append(list, s)
			// The same secret escaped in a URL is masked too.
			if e := url.QueryEscape(s); e != s && !slices.Contains(list, e) {
				list = append(list, e)
			}
		}
		slices.SortFunc(list, func(a, b string) int { return len(b) - len(a) })
		if r.secrets.CompareAndSwap(old, &list) {
			return
		}
	}
}

// urlRE finds URLs in text: a scheme, "://", and what follows up to white
// space or a quote.
var urlRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>\x60]+`)

// botPath is the token in a Telegram Bot API path, /bot123:ABC/, masked
// even when the token is not configured here.
var botPath = regexp.MustCompile(`/bot[0-9]+:[A-Za-z0-9_-]+`)

// String returns s with every secret masked.
func (r *Redactor) String(s string) string {
	if r != nil && r.secrets.Load() != nil {
		for _, sec := range *r.secrets.Load() {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, Mask)
			}
		}
	}
	if strings.Contains(s, "://") {
		s = urlRE.ReplaceAllStringFunc(s, URL)
	}
	if strings.Contains(s, "/bot") {
		s = botPath.ReplaceAllString(s, "/bot"+Mask)
	}
	return s
}

// credentialParam matches the names of query parameters that carry
// credentials.
var credentialParam = regexp.MustCompile(`(?i)(token|key|secret|pass(word|wd)?|pwd|sig(nature)?|auth|credential|session|code)`)

// IsCredentialName reports whether a parameter or field name looks like a
// credential's: token, api_key, apikey, client_secret, password, sig...
func IsCredentialName(name string) bool { return credentialParam.MatchString(name) }

// URL masks the credentials of one URL: the password of its user part and
// the values of query parameters named like credentials. Text that does
// not parse as a URL is returned as it is.
func URL(raw string) string {
	// Trailing punctuation of the sentence around the URL is not part of it.
	trimmed := strings.TrimRight(raw, ".,;:)]}")
	if strings.HasSuffix(raw, Mask) {
		trimmed = raw // masked already
	} else if i := strings.LastIndex(raw, Mask); i >= 0 && len(trimmed) < i+len(Mask) {
		trimmed = raw[:i+len(Mask)]
	}
	tail := raw[len(trimmed):]
	u, err := url.Parse(trimmed)
	if err != nil || u.Host == "" && u.User == nil {
		return raw
	}
	changed := false
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
			changed = true
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err == nil {
			for k, vs := range q {
				if IsCredentialName(k) {
					for i := range vs {
						if vs[i] != Mask {
							vs[i] = Mask
							changed = true
						}
					}
				}
			}
			if changed {
				u.RawQuery = encodeQuery(q)
			}
		}
	}
	if !changed {
		return raw
	}
	return strings.Replace(u.String(), url.QueryEscape(Mask), Mask, -1) + tail
}

// encodeQuery encodes q in sorted order, leaving the mask readable.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), url.QueryEscape(Mask), Mask)
}

// Error returns err with its message redacted by r, still wrapping err for
// errors.Is and errors.As. It returns err itself when nothing is masked.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	red := r.String(msg)
	if red == msg {
		return err
	}
	return &redactedError{msg: red, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Err returns err with the credentials of the URLs in its message masked
// (no configured secrets), still wrapping err. Sources use it on the errors
// they return, whose messages name the URL they fetched.
func Err(err error) error { return (*Redactor)(nil).Error(err) }

// IsRedacted reports whether err's message was redacted by a Redactor.
func IsRedacted(err error) bool {
	var re *redactedError
	return errors.As(err, &re)
}
