package synth

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
)

// Kind says how a generated document relates to the others.
type Kind string

// Kinds of generated documents.
const (
	// Original is an article that copies are made of.
	Original Kind = "original"
	// Copy is an original with outlet edits: a positive when checked
	// after another document of its group.
	Copy Kind = "copy"
	// Rewrite keeps about a quarter of an original's sentences among new
	// ones: the same story written differently, not a copy.
	Rewrite Kind = "rewrite"
	// Related is a different article that shares a label (a Reuters
	// place, a BBC topic) with an original: not a copy.
	Related Kind = "related"
	// Unrelated is any other article: not a copy.
	Unrelated Kind = "unrelated"
)

// Config sizes a generated set. Zero fields take the defaults in brackets.
type Config struct {
	// Seed makes generation repeatable [1].
	Seed uint64
	// Originals is the number of originals [1000]; each gets 1 to
	// MaxCopies copies [3].
	Originals, MaxCopies int
	// Rewrites, Related and Unrelated are the numbers of each kind of
	// non-copy [Originals/2, Originals, 2*Originals].
	Rewrites, Related, Unrelated int
	// Window is how far after its original a copy is published, as a
	// share of the whole stream [0.02].
	Window float64
}

func (c Config) withDefaults() Config {
	c.Seed = cmp.Or(c.Seed, 1)
	c.Originals = cmp.Or(c.Originals, 1000)
	c.MaxCopies = cmp.Or(c.MaxCopies, 3)
	c.Rewrites = cmp.Or(c.Rewrites, c.Originals/2)
	c.Related = cmp.Or(c.Related, c.Originals)
	c.Unrelated = cmp.Or(c.Unrelated, 2*c.Originals)
	c.Window = cmp.Or(c.Window, 0.02)
	return c
}

// Doc is one generated document.
type Doc struct {
	// ID is an opaque, unique hex identifier.
	ID   string
	Text string
	Kind Kind
	// Group is shared by an original and its copies; every other document
	// has a group of its own. A document is a copy of an earlier one
	// exactly when an earlier document has its group.
	Group int
	// Source is the ID of the article the document was made from.
	Source string
	// Edits are the names of the edits a copy got.
	Edits []string

	at float64
}

// Generate makes a labelled set from pools of articles (as returned by
// Clean: no near-duplicates within or across pools) and returns it in
// publication order. Originals are taken from the pools in turn; rewrites
// and related articles come from the pool of their original, unrelated
// articles from all pools. The sentences that rewrites add come from
// articles held out of the set, so no document copies them. It returns an
// error when the pools are too small for the configuration.
func Generate(pools [][]Article, cfg Config) ([]Doc, error) {
	cfg = cfg.withDefaults()
	r := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	g := &generator{r: r, cfg: cfg}
	for _, p := range pools {
		perm := r.Perm(len(p))
		q := make([]*Article, len(p))
		for i, j := range perm {
			q[i] = &p[j]
		}
		g.pools = append(g.pools, q)
	}
	if err := g.originals(); err != nil {
		return nil, err
	}
	if err := g.others(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(g.docs, func(a, b Doc) int { return cmp.Compare(a.at, b.at) })
	return g.docs, nil
}

type generator struct {
	r     *rand.Rand
	cfg   Config
	pools [][]*Article
	// next is the index of the next unused article of each pool.
	next  []int
	docs  []Doc
	group int
	// origins are the originals with their pool.
	origins []origin
	// donated are the held-out articles already used by a rewrite.
	donated map[*Article]bool
}

type origin struct {
	a    *Article
	pool int
	doc  int
}

// take returns the next unused article of pool p, or nil.
func (g *generator) take(p int) *Article {
	for len(g.next) < len(g.pools) {
		g.next = append(g.next, 0)
	}
	if g.next[p] >= len(g.pools[p]) {
		return nil
	}
	a := g.pools[p][g.next[p]]
	g.next[p]++
	return a
}

func (g *generator) add(d Doc) int {
	d.ID = fmt.Sprintf("%016x", g.r.Uint64())
	g.docs = append(g.docs, d)
	return len(g.docs) - 1
}

func (g *generator) newGroup() int {
	g.group++
	return g.group
}

func (g *generator) originals() error {
	for i := 0; i < g.cfg.Originals; i++ {
		p := i % len(g.pools)
		a := g.take(p)
		if a == nil {
			return fmt.Errorf("synth: pool %d too small for %d originals", p, g.cfg.Originals)
		}
		group := g.newGroup()
		at := g.r.Float64()
		o := origin{a: a, pool: p}
		o.doc = g.add(Doc{Text: a.Text(), Kind: Original, Group: group, Source: a.ID, at: at})
		g.origins = append(g.origins, o)
		for n := 1 + g.r.IntN(g.cfg.MaxCopies); n > 0; n-- {
			c, names := g.copyOf(a)
			g.add(Doc{Text: c.Text(), Kind: Copy, Group: group, Source: a.ID, Edits: names,
				at: at + g.cfg.Window*g.r.Float64()})
		}
	}
	return nil
}

// copyOf returns a copy of a with at least two edits and their names.
func (g *generator) copyOf(a *Article) (Article, []string) {
	for {
		c := Article{ID: a.ID, Title: a.Title, Paragraphs: slices.Clone(a.Paragraphs), Labels: a.Labels}
		var names []string
		for _, e := range edits {
			if g.r.Float64() < e.p && e.apply(g.r, &c) {
				names = append(names, e.name)
			}
		}
		if len(names) >= 2 {
			return c, names
		}
	}
}

func (g *generator) others() error {
	// Held-out articles give rewrites their new sentences, by label.
	held := make([]map[string][]*Article, len(g.pools))
	for p := range g.pools {
		held[p] = map[string][]*Article{}
		for range g.cfg.Rewrites * 3 / len(g.pools) {
			a := g.take(p)
			if a == nil {
				return fmt.Errorf("synth: pool %d too small to hold out articles for rewrites", p)
			}
			for _, l := range a.Labels {
				held[p][l] = append(held[p][l], a)
			}
		}
	}
	for i := 0; i < g.cfg.Rewrites; i++ {
		o := g.origins[i%len(g.origins)]
		text := g.rewrite(o.a, held[o.pool])
		g.add(Doc{Text: text, Kind: Rewrite, Group: g.newGroup(), Source: o.a.ID,
			at: g.docs[o.doc].at + g.cfg.Window*(2*g.r.Float64()-1)})
	}
	// Related: for originals in turn, the next unused article of the same
	// pool sharing one of its labels.
	byLabel := make([]map[string][]*Article, len(g.pools))
	for p := range g.pools {
		byLabel[p] = map[string][]*Article{}
		for _, a := range g.pools[p][g.next[p]:] {
			for _, l := range a.Labels {
				byLabel[p][l] = append(byLabel[p][l], a)
			}
		}
	}
	used := map[*Article]bool{}
	for i, tries := 0, 0; i < g.cfg.Related && tries < 20*g.cfg.Related; tries++ {
		o := g.origins[tries%len(g.origins)]
		if len(o.a.Labels) == 0 {
			continue
		}
		cands := byLabel[o.pool][pick(g.r, o.a.Labels)]
		var a *Article
		for len(cands) > 0 && a == nil {
			if c := cands[0]; !used[c] {
				a = c
			}
			cands = cands[1:]
		}
		if a == nil {
			continue
		}
		used[a] = true
		g.add(Doc{Text: a.Text(), Kind: Related, Group: g.newGroup(), Source: a.ID,
			at: g.docs[o.doc].at + g.cfg.Window*(2*g.r.Float64()-1)})
		i++
	}
	for i, p := 0, 0; i < g.cfg.Unrelated; p++ {
		if p == 10*g.cfg.Unrelated {
			return fmt.Errorf("synth: pools too small for %d unrelated articles", g.cfg.Unrelated)
		}
		a := g.take(p % len(g.pools))
		if a == nil || used[a] {
			continue
		}
		used[a] = true
		g.add(Doc{Text: a.Text(), Kind: Unrelated, Group: g.newGroup(), Source: a.ID, at: g.r.Float64()})
		i++
	}
	return nil
}

// rewrite keeps about a quarter of a's words, as whole sentences in order
// (or, when every sentence is longer than a third of the article, part of
// one), among about three times as many words of held-out articles sharing
// a label with a, under the first half of a's headline.
func (g *generator) rewrite(a *Article, held map[string][]*Article) string {
	var units []string
	total := 0
	for _, p := range a.Paragraphs {
		for _, s := range sentences(p) {
			units = append(units, s)
			total += len(strings.Fields(s))
		}
	}
	target, limit := total/4, total*35/100
	kept := make([]bool, len(units))
	n := 0
	for _, i := range g.r.Perm(len(units)) {
		w := len(strings.Fields(units[i]))
		if n+w <= limit {
			kept[i] = true
			n += w
		}
		if n >= target {
			break
		}
	}
	var keep []string
	for i, u := range units {
		if kept[i] {
			keep = append(keep, u)
		}
	}
	if n == 0 {
		words := strings.Fields(pick(g.r, units))
		span := min(len(words), max(1, target))
		start := g.r.IntN(len(words) - span + 1)
		keep = []string{strings.Join(words[start:start+span], " ")}
		n = span
	}
	var fill []string
	for fw := 0; fw < 3*n; {
		d := g.donor(a, held)
		if d == nil {
			break
		}
		for _, p := range d.Paragraphs {
			for _, s := range sentences(p) {
				if fw < 3*n {
					fill = append(fill, s)
					fw += len(strings.Fields(s))
				}
			}
		}
	}
	out := make([]string, 0, len(keep)+len(fill))
	k := 0
	for _, f := range fill {
		if k < len(keep) && g.r.IntN(4) == 0 {
			out = append(out, keep[k])
			k++
		}
		out = append(out, f)
	}
	out = append(out, keep[k:]...)
	title := strings.Fields(a.Title)
	return "Analysis: " + strings.Join(title[:(len(title)+1)/2], " ") + "\n" + strings.Join(out, " ")
}

// donor returns a held-out article not used before, sharing a label with a
// when one is left, or nil when none is.
func (g *generator) donor(a *Article, held map[string][]*Article) *Article {
	if g.donated == nil {
		g.donated = map[*Article]bool{}
	}
	take := func(l string) *Article {
		for len(held[l]) > 0 {
			d := held[l][0]
			held[l] = held[l][1:]
			if !g.donated[d] {
				g.donated[d] = true
				return d
			}
		}
		return nil
	}
	for _, l := range a.Labels {
		if d := take(l); d != nil {
			return d
		}
	}
	labels := slices.Sorted(maps.Keys(held))
	for _, l := range labels {
		if d := take(l); d != nil {
			return d
		}
	}
	return nil
}
