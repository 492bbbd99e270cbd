package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// The sample corpus: five reports of the Taliban assault on Qala-i-Naw,
// capital of Badghis (admin1 AF.02), in July 2021.
const (
	sampleGlob = "../examples/corpus/*.txt"
	badghis    = "AF.02"
	qalaINaw   = 1129867
)

func sampleTexts(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(sampleGlob)
	if err != nil || len(files) != 5 {
		t.Fatalf("sample corpus: %d files, %v", len(files), err)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

// TestSeeds checks the default rules.yaml on the sample corpus: every
// report is a provincial-capital-assault in Badghis, with evidence naming
// it, and no other rule fires.
func TestSeeds(t *testing.T) {
	m := defaultMatcher(t)
	for name, text := range sampleTexts(t) {
		res := m.Match(text)
		if len(res.Matches) != 1 || res.Matches[0].Rule != "provincial-capital-assault" {
			t.Errorf("%s: matches %v; want provincial-capital-assault alone", name, matched(res))
			continue
		}
		rm := res.Matches[0]
		if rm.GroupKey != badghis || rm.GroupName != "Badghis, Afghanistan" {
			t.Errorf("%s: group %s %q; want %s Badghis, Afghanistan", name, rm.GroupKey, rm.GroupName, badghis)
		}
		inBadghis := false
		for _, p := range rm.Places {
			inBadghis = inBadghis || p.Place.Admin1 == badghis
		}
		if !inBadghis {
			t.Errorf("%s: no place in Badghis among %+v", name, rm.Places)
		}
		kws := map[string]bool{}
		for _, k := range rm.Keywords {
			kws[k.Keyword] = true
			if got := corpus.Fold(text[k.Start:k.End]); got != corpus.Fold(k.Keyword) {
				t.Errorf("%s: keyword %q points at %q", name, k.Keyword, text[k.Start:k.End])
			}
		}
		if !kws["taliban"] || !kws["assault"] {
			t.Errorf("%s: keywords %v; want taliban and assault among them", name, rm.Keywords)
		}
		if ev := m.Evidence(rm); !strings.Contains(ev, "(Badghis, Afghanistan)") || !strings.Contains(ev, "taliban") {
			t.Errorf("%s: evidence %q", name, ev)
		}
		found := false
		for _, tag := range res.Tags {
			found = found || tag.Place.ID == qalaINaw
		}
		if !found {
			t.Errorf("%s: Qala-i-Naw not among the tags", name)
		}
	}
}

// TestSeedSpellings checks that every spelling of Qala-i-Naw in the sample
// corpus, and the usual others, resolve to the one place with the embedded
// gazetteer.
func TestSeedSpellings(t *testing.T) {
	m := defaultMatcher(t)
	for _, s := range []string{"Qala-i-Naw", "Qala-e-Naw", "Qala-I Naw", "Qala i Naw", "Qala Naw", "QALA-I-NAW", "Qalay-i-Naw"} {
		text := "Fighting raged in " + s + ", capital of Badghis province."
		res := m.Match(text)
		if len(res.Tags) == 0 || res.Tags[0].Place.ID != qalaINaw || res.Tags[0].Text != s {
			t.Errorf("%q: tags %+v; want %q as place %d", s, res.Tags, s, qalaINaw)
		}
	}
}

// TestScanAgainstReference compares the index with a plain search: at
// each token, the longest run of tokens whose folded form is a gazetteer
// key. It runs on the sample corpus and, when present, on Reuters-21578.
func TestScanAgainstReference(t *testing.T) {
	m := defaultMatcher(t)
	keys := map[string][]int{}
	longest := 0
	for i := range m.gaz.Names() {
		k := m.gaz.Folded(i)
		keys[k] = append(keys[k], i)
		longest = max(longest, strings.Count(k, " ")+1)
	}
	texts := []string{}
	for _, s := range sampleTexts(t) {
		texts = append(texts, s)
	}
	if !testing.Short() {
		if _, ok := reutersDir(); ok {
			bodies, _ := reutersBodies(t)
			texts = append(texts, bodies[:min(len(bodies), 2000)]...)
		}
	}
	sc := m.pool.Get().(*scratch)
	for _, text := range texts {
		sc.toks = corpus.Tokenize(sc.toks[:0], text)
		m.scan(sc, text)
		var want []geo.Mention
		toks := sc.toks
		for i, until := 0, 0; i < len(toks); i++ {
			if i < until || !writtenAsName(text, toks[i]) {
				continue
			}
			for n := min(longest, len(toks)-i); n >= 1; n-- {
				k := geo.FoldName(text[toks[i].Start:toks[i+n-1].End])
				for _, ni := range keys[k] {
					want = append(want, geo.Mention{Name: ni, Start: int(toks[i].Start), End: int(toks[i+n-1].End), Flags: toks[i].Flags})
				}
				if len(keys[k]) > 0 {
					until = i + n
					break
				}
			}
		}
		if len(want) != len(sc.mentions) {
			t.Errorf("%.60q...: %d mentions; the reference finds %d", text, len(sc.mentions), len(want))
			continue
		}
		for i := range want {
			if want[i] != sc.mentions[i] {
				t.Errorf("%.60q...: mention %d = %+v; want %+v", text, i, sc.mentions[i], want[i])
				break
			}
		}
	}
}
