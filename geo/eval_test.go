package geo

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
)

// reutersCountry maps the Reuters PLACES labels whose names the gazetteer
// does not know (states that no longer exist) to ISO codes; the other
// labels are looked up as country names.
var reutersCountry = map[string]string{
	"ussr": "RU", "yugoslavia": "RS", "czechoslovakia": "CZ", "east-germany": "DE",
	"yemen-arab-republic": "YE", "yemen-demo-republic": "YE", "western-samoa": "WS",
	"trinidad-tobago": "TT", "us-virgin-islands": "VI", "congo": "CG", "antigua": "AG",
}

func labelCountry(g *Gazetteer, label string) string {
	if c, ok := reutersCountry[label]; ok {
		return c
	}
	for _, p := range g.Lookup(strings.ReplaceAll(label, "-", " ")) {
		if p.Level == LevelCountry {
			return p.Country
		}
	}
	return ""
}

// score counts story-country pairs: tagged and labelled, tagged only,
// labelled only.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return float64(s.tp) / float64(s.tp+s.fp) }
func (s score) recall() float64    { return float64(s.tp) / float64(s.tp+s.fn) }

func (s *score) add(got, want map[string]bool) {
	for c := range got {
		if want[c] {
			s.tp++
		} else {
			s.fp++
		}
	}
	for c := range want {
		if !got[c] {
			s.fn++
		}
	}
}

// naive resolves without the policy: every capitalised mention takes its
// name's first place.
func naive(g *Gazetteer, ms []Mention) []Place {
	var out []Place
	for _, m := range ms {
		if m.Flags&(corpus.Capitalised|corpus.AllCaps) == 0 {
			continue
		}
		if cs := g.candidates(m.Name); len(cs) > 0 {
			out = append(out, g.places[cs[0]])
		}
	}
	return out
}

// TestReutersEvaluation measures, over every Reuters-21578 story with
// PLACES labels and a body, which labelled countries the gazetteer tags
// (recall) and which tagged countries are labelled (precision).
// docs/benchmarks/gazetteer.md records the figures.
func TestReutersEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation over 21,578 stories")
	}
	stories := reuters(t)
	m := defaultMatcher()
	g := m.g
	var policy, noDemonyms, naiveScore, salient score
	judged := readJudged(t)
	// The same gazetteer with no name Common, to measure what marking them
	// does.
	plainNames := slices.Clone(g.names)
	for i := range plainNames {
		plainNames[i].Common = false
	}
	noCommon := build(g.places, plainNames, g.keys)
	var noCommonScore score
	var kept, errorsLeft, mentions int
	unmapped := map[string]bool{}
	n := 0
	for _, s := range stories {
		if len(s.Places) == 0 || s.Body == "" {
			continue
		}
		n++
		want := map[string]bool{}
		for _, l := range s.Places {
			if c := labelCountry(g, l); c != "" {
				want[c] = true
			} else {
				unmapped[l] = true
			}
		}
		text := storyText(s)
		ms := m.mentions(text)
		got, gotPlain, gotNaive := map[string]bool{}, map[string]bool{}, map[string]bool{}
		count := map[string]int{}
		lead := leadEnd(text)
		gotSalient := map[string]bool{}
		for _, tag := range g.Resolve(text, ms) {
			got[tag.Place.Country] = true
			if !g.names[tag.Name].Demonym {
				gotPlain[tag.Place.Country] = true
			}
			count[tag.Place.Country]++
			if tag.Start < lead || count[tag.Place.Country] >= 2 {
				gotSalient[tag.Place.Country] = true
			}
		}
		salient.add(gotSalient, want)
		gotNoCommon := map[string]bool{}
		for _, tag := range noCommon.Resolve(text, ms) {
			gotNoCommon[tag.Place.Country] = true
		}
		noCommonScore.add(gotNoCommon, want)
		for _, p := range naive(g, ms) {
			gotNaive[p.Country] = true
		}
		policy.add(got, want)
		for c, verdict := range judged[s.NewID] {
			if verdict == "mention" {
				mentions++
			}
			switch {
			case !got[c]:
			case verdict == "mention":
				kept++
			default:
				errorsLeft++
			}
		}
		noDemonyms.add(gotPlain, want)
		naiveScore.add(gotNaive, want)
	}
	for l := range unmapped {
		t.Errorf("Reuters label %q maps to no country", l)
	}
	report := func(name string, s score) string {
		return fmt.Sprintf("%-34s precision %.3f  recall %.3f  (tp %d, fp %d, fn %d)", name, s.precision(), s.recall(), s.tp, s.fp, s.fn)
	}
	t.Logf("%d stories with PLACES labels", n)
	t.Log(report("policy (as shipped)", policy))
	t.Log(report("policy without demonyms", noDemonyms))
	t.Log(report("policy, salient countries", salient))
	t.Log(report("policy, no name Common", noCommonScore))
	t.Log(report("naive (capitalised, first place)", naiveScore))
	// Most tags Reuters did not label are real mentions its labels leave
	// out (the U.S. in a Japanese story): a judged sample of them tells how
	// many, and so the precision the labels hide.
	right := float64(kept) / float64(kept+errorsLeft)
	judgedPrecision := (float64(policy.tp) + float64(policy.fp)*right) / float64(policy.tp+policy.fp)
	t.Logf("judged sample: %d of %d real mentions still tagged, %d of the judged errors left; "+
		"estimated precision %.3f", kept, mentions, errorsLeft, judgedPrecision)
	if p, r := policy.precision(), policy.recall(); p < 0.69 || r < 0.94 {
		t.Errorf("label precision %.3f, recall %.3f: want at least 0.69 and 0.94", p, r)
	}
	if kept < mentions-2 || judgedPrecision < 0.9 {
		t.Errorf("judged sample: %d of %d real mentions kept, estimated precision %.3f: want all but 2 and 0.9",
			kept, mentions, judgedPrecision)
	}
	if policy.precision() <= naiveScore.precision() {
		t.Errorf("the policy does not beat naive resolution on precision")
	}
}

// leadEnd returns the end of the headline, dateline and first sentence.
func leadEnd(text string) int {
	_, body, _ := strings.Cut(text, "\n")
	off := len(text) - len(body)
	if i := strings.Index(body, ". "); i >= 0 {
		return off + i
	}
	return len(text)
}

// readJudged reads testdata/reuters_judged.tsv: NEWID -> country -> verdict.
func readJudged(t *testing.T) map[string]map[string]string {
	f, err := os.Open("testdata/reuters_judged.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		fs := strings.Split(l, "\t")
		if len(fs) < 3 || fs[2] != "mention" && fs[2] != "error" {
			t.Fatalf("bad judged line %q", l)
		}
		if out[fs[0]] == nil {
			out[fs[0]] = map[string]string{}
		}
		out[fs[0]][fs[1]] = fs[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
