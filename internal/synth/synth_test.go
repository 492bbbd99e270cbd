package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three? four", []string{"One.", "Two!", "Three? four"}},
		{`He said. "Quote." Done`, []string{"He said.", `"Quote." Done`}},
		{"U.S. officials said 1.5 pct. Next", []string{"U.S. officials said 1.5 pct.", "Next"}},
		{"no end", []string{"no end"}},
	}
	for _, tc := range cases {
		if got := sentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReplaceWord(t *testing.T) {
	cases := []struct{ s, old, new, want string }{
		{"rose 5 pct, pct. pcts", "pct", "percent", "rose 5 percent, percent. pcts"},
		{"U.S. and U.S.A.", "U.S.", "US", "US and U.S.A."},
		{"said unsaid", "said", "says", "says unsaid"},
	}
	for _, tc := range cases {
		if got := replaceWord(tc.s, tc.old, tc.new); got != tc.want {
			t.Errorf("replaceWord(%q, %q, %q) = %q, want %q", tc.s, tc.old, tc.new, got, tc.want)
		}
	}
}

func testArticle(id string, paras int, label string) Article {
	a := Article{ID: id, Title: "Title of " + id, Labels: []string{label}}
	for p := range paras {
		a.Paragraphs = append(a.Paragraphs, fmt.Sprintf(
			"In Qala-i-Naw the %s council met on day %d. Officials from Badghis said the talks went well. The Mayor of Herat said 5 pct of 2 mln dlrs, 3 billion in U.S. aid, went on item %d.", id, p, p))
	}
	return a
}

func TestEdits(t *testing.T) {
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			a := testArticle("x", 5, "l")
			before := a.Text()
			r := rand.New(rand.NewPCG(1, 1))
			changed := e.apply(r, &a)
			if !changed || a.Text() == before {
				t.Fatalf("edit changed nothing (reported %v)", changed)
			}
			// Deterministic for a seed.
			b := testArticle("x", 5, "l")
			e.apply(rand.New(rand.NewPCG(1, 1)), &b)
			if a.Text() != b.Text() {
				t.Fatal("edit not deterministic")
			}
		})
	}
}

func TestClean(t *testing.T) {
	a := testArticle("a", 4, "l")
	b := a
	b.ID = "b" // a verbatim copy: both go
	c := Article{ID: "c", Paragraphs: []string{strings.Repeat("Entirely different words make up this other article about markets. ", 4)}}
	short := Article{ID: "s", Paragraphs: []string{"Too short."}}
	var ids []string
	for _, x := range Clean([]Article{a, b, c, short}, 20, 0.3) {
		ids = append(ids, x.ID)
	}
	if want := []string{"c"}; !slices.Equal(ids, want) {
		t.Errorf("kept %v, want %v", ids, want)
	}
}

func TestGenerate(t *testing.T) {
	var pools [][]Article
	for p := range 2 {
		var pool []Article
		for i := range 400 {
			id := fmt.Sprintf("p%d-%d", p, i)
			a := Article{ID: id, Title: "Story " + id, Labels: []string{fmt.Sprintf("l%d", i%7)}}
			r := rand.New(rand.NewPCG(uint64(p), uint64(i)))
			for range 4 {
				var words []string
				for range 15 {
					words = append(words, fmt.Sprintf("w%d", r.IntN(100000)))
				}
				a.Paragraphs = append(a.Paragraphs, "Alpha "+strings.Join(words, " ")+".")
			}
			pool = append(pool, a)
		}
		pools = append(pools, pool)
	}
	cfg := Config{Seed: 7, Originals: 40}
	docs, err := Generate(pools, cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Generate(pools, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(docs, again, func(a, b Doc) bool { return a.ID == b.ID && a.Text == b.Text }) {
		t.Fatal("not deterministic")
	}
	counts := map[Kind]int{}
	groups := map[int][]Doc{}
	ids := map[string]bool{}
	for _, d := range docs {
		counts[d.Kind]++
		groups[d.Group] = append(groups[d.Group], d)
		if ids[d.ID] {
			t.Fatalf("ID %s repeats", d.ID)
		}
		ids[d.ID] = true
	}
	if counts[Original] != 40 || counts[Copy] < 40 || counts[Copy] > 120 || counts[Rewrite] != 20 ||
		counts[Related] != 40 || counts[Unrelated] != 80 {
		t.Errorf("counts %v", counts)
	}
	for g, ds := range groups {
		if ds[0].Kind != Original && len(ds) > 1 {
			t.Errorf("group %d: first is a %s", g, ds[0].Kind)
		}
		for _, d := range ds[1:] {
			if d.Kind != Copy || len(d.Edits) < 2 || d.Source != ds[0].Source {
				t.Errorf("group %d: %s from %s with edits %v", g, d.Kind, d.Source, d.Edits)
			}
		}
	}
	if _, err := Generate(pools, Config{Originals: 1000}); err == nil {
		t.Error("pools too small: no error")
	}
}
