package telegram

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

var tagRE = regexp.MustCompile(`</?([A-Za-z-]+)`)

// emitted are the only tags wirewatch emits.
var emitted = map[string]bool{"b": true, "i": true, "a": true, "code": true, "pre": true}

// checkPart fails unless s is valid Telegram HTML using only the tags
// wirewatch emits, with visible text, of at most limit UTF-16 units; it
// returns the visible text.
func checkPart(t testing.TB, s string, limit int) string {
	t.Helper()
	plain, err := chattest.TelegramParseHTML(s)
	if err != nil {
		t.Fatalf("invalid Telegram HTML: %v\n%q", err, s)
	}
	for _, m := range tagRE.FindAllStringSubmatch(s, -1) {
		if !emitted[m[1]] {
			t.Fatalf("tag %q emitted in %q", m[1], s)
		}
	}
	if n := utf16Len(s); n > limit {
		t.Fatalf("part is %d UTF-16 units, over %d: %q", n, limit, s)
	}
	if strings.TrimSpace(plain) == "" {
		t.Fatalf("part without visible text: %q", s)
	}
	return plain
}

// squeeze drops all whitespace, to compare texts whatever splitting did to
// it.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkSplit fails unless every part of SplitHTML(in, limit) passes
// checkPart and together they show the same text as in.
func checkSplit(t testing.TB, in string, limit int) []string {
	t.Helper()
	parts := SplitHTML(in, limit)
	var all strings.Builder
	for _, p := range parts {
		all.WriteString(checkPart(t, p, max(limit, minSplitLimit)))
	}
	want, err := chattest.TelegramParseHTML(in)
	if err != nil {
		t.Fatalf("input is not valid Telegram HTML: %v", err)
	}
	if got := squeeze(all.String()); got != squeeze(want) {
		t.Fatalf("parts lost or changed text:\n got %q\nwant %q", got, squeeze(want))
	}
	return parts
}
