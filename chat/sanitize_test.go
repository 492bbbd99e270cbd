package chat

import (
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Taliban storm Qala-i-Naw", "Taliban storm Qala-i-Naw"},
		{"tab and newline kept", "a\tb\nc", "a\tb\nc"},
		{"right-to-left override", "invoice\u202egpj.exe", "invoicegpj.exe"},
		{"every embedding, override and isolate", "a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j", "abcdefghij"},
		{"zero-width space", "pay\u200bpal", "paypal"},
		{"word joiner and BOM", "\ufeffpay\u2060pal", "paypal"},
		{"soft hyphen", "pay\u00adpal", "paypal"},
		{"tag characters", "hi\U000E0041\U000E0042", "hi"},
		{"Hangul filler", "\u3164admin", "admin"},
		{"terminal escape", "\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"C1 control", "a\u0085b", "ab"},
		{"invalid UTF-8", "a\xffb", "ab"},
		{"ZWNJ inside a Latin word", "pay\u200cpal", "paypal"},
		{"ZWJ inside a Latin word", "pay\u200dpal", "paypal"},
		{"Persian ZWNJ kept", "می\u200cروم به خانه\u200cها", "می\u200cروم به خانه\u200cها"},
		{"Persian ZWNJ at the edge of a word", "\u200cخانه", "خانه"},
		{"ZWNJ between Persian and Latin", "خانه\u200cx", "خانهx"},
		{"Hindi ZWJ kept", "क्\u200dष", "क्\u200dष"},
		{"Malayalam ZWNJ kept", "ന്\u200cറ", "ന്\u200cറ"},
		{"emoji family kept", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},
		{"emoji with presentation selector kept", "🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"},
		{"RLM in Latin text", "Kabul\u200f 2021", "Kabul 2021"},
		{"RLM in Hebrew text kept", "שלום\u200f!", "שלום\u200f!"},
		{"Arabic number sign kept", "\u0600١٢", "\u0600١٢"},
		{"variation selector kept", "☺\ufe0f", "☺\ufe0f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanTextPlainDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("Taliban storm Qala-i-Naw, Badghis. ", 20) + "Kabul — کابل"
	if n := testing.AllocsPerRun(100, func() { _ = CleanText(s) }); n != 0 {
		t.Errorf("CleanText of clean text allocates %v times", n)
	}
}

func TestCleanMessageLeavesOriginal(t *testing.T) {
	m := Message{
		Kind:    KindAlert,
		Heading: "Badghis\u202e",
		Article: &Article{Title: "a\u200bb", Lead: "c\u2066d", Source: "AF\u200bP", Place: "Herat\u202d"},
		Outlets: []string{"Reu\u200dters"},
		Why:     "w\u202ey",
		Text:    "t\u200bx",
		Items:   []Article{{Title: "i\u202et"}},
	}
	got := Clean(m)
	want := Message{
		Kind:    KindAlert,
		Heading: "Badghis",
		Article: &Article{Title: "ab", Lead: "cd", Source: "AFP", Place: "Herat"},
		Outlets: []string{"Reuters"},
		Why:     "wy",
		Text:    "tx",
		Items:   []Article{{Title: "it"}},
	}
	if got.Heading != want.Heading || *got.Article != *want.Article || got.Outlets[0] != want.Outlets[0] ||
		got.Why != want.Why || got.Text != want.Text || got.Items[0] != want.Items[0] {
		t.Errorf("Clean = %+v, want %+v", got, want)
	}
	if m.Article.Title != "a\u200bb" || m.Items[0].Title != "i\u202et" || m.Outlets[0] != "Reu\u200dters" {
		t.Error("Clean changed the message it was given")
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add("می\u200cروم")
	f.Add("a\u202eb\u200dc")
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanText(s)
		if again := CleanText(got); again != got {
			t.Fatalf("CleanText is not idempotent: %+q -> %+q -> %+q", s, got, again)
		}
		for _, r := range got {
			if isBidiOverride(r) || isInvisible(r) || (r < 0x20 && r != '\t' && r != '\n') {
				t.Fatalf("CleanText(%+q) kept %U", s, r)
			}
		}
	})
}
