package chat

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestActionData(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"ms:Ab3dEf9hJk2L:6h", true}, {"wy:Ab3dEf9hJk2L", true}, {"um:Ab3dEf9hJk2L:42", true}, {"mn:R:s", true},
		{"", false}, {"ms", false}, {"xx:Ab3:1h", false}, {"ms::1h", false}, {"ms:Ab3:", false},
		{"ms:Ab 3:1h", false}, {"ms:Ab3:1h:x", false}, {"ms:Ab3:6h;drop", false}, {"ms:Äb3:1h", false},
		{"wy:" + strings.Repeat("a", 62), false},
	} {
		d, err := ParseActionData(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseActionData(%q) = %+v, %v; want ok %v", tc.in, d, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrBadActionData) {
			t.Errorf("ParseActionData(%q): %v does not wrap ErrBadActionData", tc.in, err)
		}
		if tc.ok && d.String() != tc.in {
			t.Errorf("ParseActionData(%q).String() = %q", tc.in, d.String())
		}
	}
}

// The longest data the buttons make fits Telegram's 64 bytes.
func TestActionDataFits(t *testing.T) {
	ref := strings.Repeat("Z", 12)
	for _, d := range []ActionData{
		{Verb: VerbUnmute, Ref: ref, Arg: "9223372036854775807"},
		{Verb: VerbMuteScope, Ref: ref, Arg: "1w"},
		{Verb: VerbMenu, Ref: ref, Arg: MenuScope},
	} {
		if s := d.String(); len(s) > MaxActionData {
			t.Errorf("%q is %d bytes, more than %d", s, len(s), MaxActionData)
		}
	}
}

func TestMuteNoteStatus(t *testing.T) {
	until := time.Date(2021, 7, 8, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		n    MuteNote
		want string
	}{
		{MuteNote{What: "story #12", For: "6h", By: "@alice", Until: until}, "Muted 6h by @alice (until 2021-07-08 15:00 UTC)"},
		{MuteNote{What: "assault in Badghis", For: "1d", Until: until}, "Muted (assault in Badghis) 1d (until 2021-07-08 15:00 UTC)"},
	} {
		if got := tc.n.Status(""); got != tc.want {
			t.Errorf("Status() = %q, want %q", got, tc.want)
		}
	}
	kabul := MuteNote{For: "6h", Until: until}.Status("Asia/Kabul")
	if kabul != "Muted 6h (until 2021-07-08 19:30 +0430)" {
		t.Errorf("Status in Kabul = %q", kabul)
	}
}

func FuzzParseActionData(f *testing.F) {
	for _, s := range []string{"ms:Ab3dEf9hJk2L:6h", "wy:R", "um:R:1", "mn:R:s", "bk:R", "ms:R:6h:x", "::", "ms:R:\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseActionData(s)
		if err != nil {
			if !errors.Is(err, ErrBadActionData) {
				t.Fatalf("error %v does not wrap ErrBadActionData", err)
			}
			return
		}
		if d.String() != s || len(s) > MaxActionData || !verbs[d.Verb] || !alnum(d.Ref) || !alnum(d.Arg) {
			t.Fatalf("accepted %q as %+v", s, d)
		}
	})
}

// A user's name and a place's name on the buttons are cleaned like article
// text: no bidi override can reorder "Undo", and m itself is not changed.
func TestCleanControls(t *testing.T) {
	m := Message{Controls: &Controls{Ref: "R", Scope: "assault in \u202eBadghis", ScopeCommand: "assault in badghis\u200b",
		Muted: &MuteNote{What: "story #1", By: "@eve\u202egnp.exe"}}}
	c := Clean(m).Controls
	if c.Scope != "assault in Badghis" || c.ScopeCommand != "assault in badghis" || c.Muted.By != "@evegnp.exe" {
		t.Errorf("cleaned controls %+v %+v", c, c.Muted)
	}
	if m.Controls.Muted.By != "@eve\u202egnp.exe" {
		t.Error("Clean changed the message it was given")
	}
}
