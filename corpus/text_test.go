package corpus

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Qala-i-Naw", "qala i naw"},
		{"Qala-e-Naw", "qala e naw"},
		{"Qala-I Naw", "qala i naw"},
		{"Qal‘ah-ye Now", "qalah ye now"},
		{"Āb-e Kamarī", "ab e kamari"},
		{"The Taliban's offensive", "the taliban offensive"},
		{"country’s spy agency", "country spy agency"},
		{"  HERAT (Afghanistan), July 8 —", "herat afghanistan july 8"},
		{"Zōr Kōṯ", "zor kot"},
		{"Straße Łódź Ærø", "strasse lodz aero"},
		{"São Paulo", "sao paulo"},
		{"Москва", "москва"},
		{"", ""},
		{"'quoted' words'", "quoted words"},
		{"l'Afghanistan d'Hérat qu'il dell'Iran", "l afghanistan d herat qu il dell iran"},
		{"O'Brien's don't Qal'ah", "obrien dont qalah"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTokenizeHashesMatchFold(t *testing.T) {
	text := "Smoke covered Qala-i-Naw. The Taliban's HERAT push; Āb-e Kamarī"
	toks := Tokenize(nil, text)
	words := strings.Fields(Fold(text))
	if len(toks) != len(words) {
		t.Fatalf("%d tokens, %d folded words", len(toks), len(words))
	}
	for i, tok := range toks {
		if tok.Hash != HashWord(words[i]) {
			t.Errorf("token %d %q: hash differs from HashWord(%q)", i, text[tok.Start:tok.End], words[i])
		}
		if FoldedWord(text, tok) != words[i] {
			t.Errorf("FoldedWord %d = %q, want %q", i, FoldedWord(text, tok), words[i])
		}
	}
	flags := map[string]TokenFlags{}
	for _, tok := range toks {
		flags[text[tok.Start:tok.End]] = tok.Flags
	}
	if flags["Smoke"]&SentenceStart == 0 || flags["The"]&SentenceStart == 0 {
		t.Errorf("sentence starts not flagged: %v", flags)
	}
	if flags["covered"]&(Capitalised|SentenceStart) != 0 {
		t.Errorf("covered flagged %b", flags["covered"])
	}
	if flags["HERAT"]&AllCaps == 0 || flags["Qala"]&Capitalised == 0 {
		t.Errorf("caps not flagged: %v", flags)
	}
	if flags["i"]&Connector == 0 || flags["e"]&Connector == 0 {
		t.Errorf("connectors not flagged: %v", flags)
	}
}

func TestContentIDIgnoresFormatting(t *testing.T) {
	a := ContentID("Hello, World!\n\nSecond  paragraph.")
	b := ContentID("hello world second paragraph")
	if a != b {
		t.Fatalf("IDs differ: %s %s", a, b)
	}
	if a == ContentID("hello world second paragraphs") {
		t.Fatal("different text, same ID")
	}
}

func BenchmarkTokenize(b *testing.B) {
	text := strings.Repeat("The Taliban launched a major assault on a provincial capital in Afghanistan on Wednesday, the first since the US military began its final drawdown. ", 100)
	var toks []Token
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		toks = Tokenize(toks[:0], text)
	}
}

func TestTokenizeModifierApostrophesTerminate(t *testing.T) {
	for _, in := range []string{"Badghisʼ", "ʼ.", "ʻ", "Qalʼah-ye Now", "aʾ", "ʿAli", "x ʼʼʼ y", "Taliban’"} {
		done := make(chan []Token, 1)
		go func() { done <- Tokenize(nil, in) }()
		select {
		case toks := <-done:
			for _, tok := range toks {
				if tok.End <= tok.Start {
					t.Errorf("%q: empty token %+v", in, tok)
				}
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Tokenize(%q) does not return", in)
		}
	}
	if got := Fold("Qalʼah-ye Now"); got != "qalah ye now" {
		t.Errorf("Fold = %q", got)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Qala-i-Naw", "Badghisʼ", "The Taliban's", "Zōr Kōṯ", "ʼ.", "", "в Бадгисе. Ёлка", "قلعه\u200cی نو؟ بـادغیس ۱۴۰۰", "ﻛﺎﺑﻞ ﷺ", "a\u200cb \u200c x\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(nil, s)
		if ref := referenceTokenize(nil, s); !slices.Equal(toks, ref) {
			t.Fatalf("Tokenize(%q) = %+v, reference %+v", s, toks, ref)
		}
		prev := int32(-1)
		for _, tok := range toks {
			if tok.Start < prev || tok.End <= tok.Start || int(tok.End) > len(s) {
				t.Fatalf("bad token %+v after %d in %q", tok, prev, s)
			}
			if w := FoldedWord(s, tok); tok.Hash != HashWord(w) {
				t.Fatalf("token %q of %q: hash is not HashWord(%q)", s[tok.Start:tok.End], s, w)
			}
			prev = tok.End
		}
		if len(strings.Fields(Fold(s))) != len(toks) {
			t.Fatalf("Fold and Tokenize disagree on %q", s)
		}
	})
}

// referenceTokenize is the plain, unoptimised tokenizer: every word goes
// through scanWord. Tokenize must give exactly its tokens.
func referenceTokenize(dst []Token, text string) []Token {
	sentence := true
	i, n := 0, len(text)
	for i < n {
		c := text[i]
		// Fast skip of ASCII separators, noting sentence boundaries.
		if c < utf8.RuneSelf && !asciiWord[c] {
			if isApostrophe(rune(c)) {
				i++
				continue
			}
			switch c {
			case '.', '!', '?', '\n', ':':
				sentence = true
			}
			i++
			continue
		}
		size := 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			// Modifier-letter apostrophes (ʼ ʻ) are letters to Go; outside
			// a word they separate, like the ASCII ones.
			// A combining mark continues a word but never starts one.
			if isApostrophe(r) || !isWordRune(r) || isJoiner(r) {
				if sentenceEnd(r) {
					sentence = true
				}
				i += size
				continue
			}
		}
		tok, next := scanWord(text, i)
		if next <= i {
			i += size // never stall, whatever scanWord made of it
			continue
		}
		if sentence {
			tok.Flags |= SentenceStart
			sentence = false
		}
		if tok.Hash == hashI || tok.Hash == hashE || tok.Hash == hashYe {
			tok.Flags |= Connector
		}
		dst = append(dst, tok)
		i = next
	}
	return dst
}
