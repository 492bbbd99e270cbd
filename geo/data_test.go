package geo

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo/internal/ngram"
)

func TestDefaultLoads(t *testing.T) {
	g := Default()
	if g.Len() < 30000 || len(g.Names()) < 100000 {
		t.Fatalf("Default: %d places, %d names; want the full gazetteer", g.Len(), len(g.Names()))
	}
	for _, tc := range []struct {
		id      int64
		name    string
		level   Level
		country string
		admin1  string
	}{
		{1149361, "Afghanistan", LevelCountry, "AF", ""},
		{1147707, "Badghis", LevelAdmin1, "AF", "AF.02"},
		{1129867, "Qala-i-Naw", LevelCity, "AF", "AF.02"},
		{7052785, "Ab Kamari", LevelAdmin2, "AF", "AF.02"},
		{1850147, "Tokyo", LevelCity, "JP", "JP.40"},
		{6252001, "United States", LevelCountry, "US", ""},
	} {
		p, ok := g.Place(tc.id)
		if !ok || p.Name != tc.name || p.Level != tc.level || p.Country != tc.country || p.Admin1 != tc.admin1 {
			t.Errorf("Place(%d) = %+v, %v; want %s %s %s %s", tc.id, p, ok, tc.name, tc.level, tc.country, tc.admin1)
		}
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	g := Default()
	var buf bytes.Buffer
	if _, err := g.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embedded) {
		t.Errorf("WriteTo(Default()) differs from the embedded data (%d vs %d bytes)", buf.Len(), len(embedded))
	}
	h, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h.places, g.places) || !reflect.DeepEqual(h.names, g.names) || !reflect.DeepEqual(h.keys, g.keys) {
		t.Error("Load(WriteTo(g)) differs from g")
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	for _, data := range []string{
		"",
		"not gzip",
	} {
		if _, err := Load(bytes.NewReader([]byte(data))); err == nil {
			t.Errorf("Load(%q) = nil error", data)
		}
	}
	for _, data := range []string{
		"P\t1\t1\tAF\t\t\t0\tAfghanistan\n",
		dataMagic + "\nP\t1\t1\tAF\n",
		dataMagic + "\nP\tx\t1\tAF\t\t\t0\tAfghanistan\n",
		dataMagic + "\nN\tz\tafghanistan\tAfghanistan\t1\n",
		dataMagic + "\nN\t-\tafghanistan\tAfghanistan\t1,x\n",
		dataMagic + "\nQ\tsomething\n",
	} {
		if _, err := parse(data); err == nil {
			t.Errorf("parse(%q) = nil error", data)
		}
	}
}

func TestWriteRejectsTabs(t *testing.T) {
	g := New([]Place{{ID: 1, Name: "A\tB", Level: LevelCountry, Country: "AB"}}, nil)
	if _, err := g.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("WriteTo with a tab in a place name: nil error")
	}
}

// Every spelling must survive the text pipeline: it tokenizes to words,
// its folded form is stable, and the n-gram matcher finds exactly it in
// its own text, so a name the tokenizer splits in an unexpected way still
// matches.
func TestEveryNameRoundTrips(t *testing.T) {
	g := Default()
	x := ngram.New(g.keys)
	var toks []corpus.Token
	var ms []ngram.Match
	bad := 0
	for i, n := range g.Names() {
		toks = corpus.Tokenize(toks[:0], n.Text)
		k := g.Folded(i)
		ms = x.Scan(ms[:0], toks)
		switch {
		case len(toks) == 0:
			t.Errorf("name %d %q has no tokens", i, n.Text)
		case FoldName(n.Text) != k || FoldName(k) != k:
			t.Errorf("name %d %q: folded %q, stored %q, refolded %q", i, n.Text, FoldName(n.Text), k, FoldName(k))
		case len(ms) != 1 || ms[0].Key != i || ms[0].First != 0 || ms[0].Last != len(toks):
			t.Errorf("name %d %q (%q): matcher finds %+v", i, n.Text, k, ms)
		default:
			continue
		}
		if bad++; bad > 20 {
			t.Fatal("too many bad names")
		}
	}
}

func TestKeysAreUniqueAndSorted(t *testing.T) {
	g := Default()
	for i := 1; i < len(g.keys); i++ {
		if g.keys[i-1] >= g.keys[i] {
			t.Fatalf("keys %d %q and %d %q out of order", i-1, g.keys[i-1], i, g.keys[i])
		}
	}
}

// The seed articles name Badghis and its capital in several spellings;
// every spelling must resolve inside Badghis.
func TestSeedSpellings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "corpus", "*.txt"))
	if len(files) == 0 {
		t.Skip("no sample corpus")
	}
	m := defaultMatcher()
	badghis, _ := m.g.Place(1147707)
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range m.tags(string(b)) {
			t.Logf("%s: %q -> %s (%s %s)", filepath.Base(f), tag.Text, tag.Place.Name, tag.Place.Country, tag.Place.Admin1)
			switch tag.Text {
			case "ANA", "Jul", "Central", "North":
				// An acronym, a month and words of "Central Asia",
				// "North Atlantic": not places here.
				t.Errorf("%s: %q tagged %s (%s)", filepath.Base(f), tag.Text, tag.Place.Name, tag.Place.Country)
			}
			if m.g.Within(tag.Place, badghis) {
				seen[tag.Text] = true
			}
		}
	}
	for _, want := range []string{"Qala-i-Naw", "Qala-e-Naw", "Qala-I Naw", "Badghis"} {
		if !seen[want] {
			t.Errorf("%q not resolved inside Badghis; resolved: %v", want, seen)
		}
	}
}
