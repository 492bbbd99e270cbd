package corpus

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// Reasons a file or document is skipped. SkipError.Reason is one of these,
// so callers can count and record skips by kind.
const (
	ReasonEmpty       = "empty file"
	ReasonTooLarge    = "larger than the size limit"
	ReasonBinary      = "binary content"
	ReasonNoText      = "no text"
	ReasonUnsupported = "unsupported file type"
	ReasonMalformed   = "malformed"
	// ReasonLinkLoop is a folder reached again through a symbolic link: a
	// loop, or a second path to the same folder.
	ReasonLinkLoop = "folder already read (a link loop or a second path)"
	// ReasonBrokenLink is a symbolic link to nothing.
	ReasonBrokenLink = "broken symbolic link"
)

// Reasons lists every reason a file is skipped for, so that counts by
// reason can start at zero.
var Reasons = []string{ReasonEmpty, ReasonTooLarge, ReasonBinary, ReasonNoText, ReasonUnsupported,
	ReasonMalformed, ReasonLinkLoop, ReasonBrokenLink}

// SkipError reports a file that was not read as documents, and why. Bad
// input is never fatal: sources log it, record it and go on.
type SkipError struct {
	// Path is the file that was skipped.
	Path string
	// Reason is one of the Reason constants.
	Reason string
	// Err is the underlying error, when there is one (a JSON or XML
	// syntax error, for instance).
	Err error
}

// Error names the file and says why it was skipped.
func (e *SkipError) Error() string {
	s := e.Path + ": skipped: " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e *SkipError) Unwrap() error { return e.Err }

func skip(path, reason string, err error) *SkipError {
	return &SkipError{Path: path, Reason: reason, Err: err}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkText returns the reason data cannot be read as text, or "". Data that
// is mostly control characters is binary even without a NUL byte.
func checkText(data []byte, maxSize int64) string {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return ReasonEmpty
	case int64(len(data)) > maxSize:
		return ReasonTooLarge
	case bytes.IndexByte(data, 0) >= 0:
		return ReasonBinary
	}
	// Look at a prefix: binary formats give themselves away early.
	sample := data[:min(len(data), 8<<10)]
	control := 0
	for _, c := range sample {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' || c == 0x7F {
			control++
		}
	}
	if control*10 > len(sample) {
		return ReasonBinary
	}
	return ""
}

// cleanText removes the characters that have no place in stored text:
// control characters other than newline and tab, and the replacement of
// carriage returns by newlines. It returns s itself when nothing changes.
func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7F {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b = append(b, '\n')
		case c < 0x20 && c != '\n' && c != '\t' || c == 0x7F:
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// oneLine collapses all white space in s, line breaks included, to single
// spaces and trims it.
func oneLine(s string) string {
	var b []byte
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
