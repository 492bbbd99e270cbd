package geo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// declined returns inflected forms of a folded one-word name, as Russian
// and Persian/Pashto/Arabic texts write them: Russian genitive, dative,
// instrumental and prepositional (Бадгиса, Бадгису, Бадгисом, Бадгисе;
// Москвы, Москве, Москву, Москвой), and the Persian plural, ezafe and
// adjective suffixes and Arabic prefixes (بادغیسها, بادغیسی, وبادغیس,
// بالعراق).
func declined(w string) []string {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case r >= 0x0400 && r <= 0x04FF:
		if stem, ok := strings.CutSuffix(w, "а"); ok {
			return []string{stem + "ы", stem + "е", stem + "у", stem + "ой"}
		}
		if strings.HasSuffix(w, "ь") || strings.HasSuffix(w, "й") || strings.HasSuffix(w, "я") ||
			strings.HasSuffix(w, "и") || strings.HasSuffix(w, "о") || strings.HasSuffix(w, "у") {
			return nil // other declensions, or indeclinable
		}
		return []string{w + "а", w + "у", w + "ом", w + "е"}
	case r >= 0x0600 && r <= 0x06FF:
		out := []string{w + "ها", w + "ی", "و" + w}
		if b, ok := strings.CutPrefix(w, "ال"); ok {
			out = append(out, "بال"+b, "لل"+b)
		}
		return out
	}
	return nil
}

// TestInflectedNames measures the inflection method on the gazetteer's own
// one-word Cyrillic and Arabic-script names: how many inflected forms
// resolve to their name (recall), and how many resolve to another name of
// the gazetteer instead (confusions, the method's false matches among
// names). docs/gazetteer.md records the figures.
func TestInflectedNames(t *testing.T) {
	g := Default()
	type tally struct{ forms, found, other, none int }
	var cyr, arb tally
	for i, n := range g.names {
		key := g.keys[i]
		if strings.Contains(key, " ") || len(n.Places) == 0 || utf8.RuneCountInString(key) < 4 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(key)
		tl := &arb
		if r < 0x0600 {
			tl = &cyr
		}
		for _, f := range declined(key) {
			tl.forms++
			switch got := g.key(f); {
			case got == key:
				tl.found++
			case g.hasKey(got):
				tl.other++
			default:
				tl.none++
			}
		}
	}
	for _, c := range []struct {
		name string
		t    tally
	}{{"Cyrillic", cyr}, {"Arabic script", arb}} {
		t.Logf("%s: %d inflected forms of one-word names: %.3f resolve to their name, %.3f to another name, %.3f to none",
			c.name, c.t.forms, float64(c.t.found)/float64(c.t.forms), float64(c.t.other)/float64(c.t.forms),
			float64(c.t.none)/float64(c.t.forms))
		if c.t.forms == 0 || float64(c.t.found) < 0.9*float64(c.t.forms) || float64(c.t.other) > 0.05*float64(c.t.forms) {
			t.Errorf("%s: %+v", c.name, c.t)
		}
	}
}
