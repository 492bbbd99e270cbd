package rules

import (
	"slices"
	"sync"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// Matcher checks texts against every rule of a Config at once. It is
// immutable and safe for concurrent use.
type Matcher struct {
	gaz      *geo.Gazetteer
	idx      *index
	rules    []crule
	patterns [][]int32 // keyword pattern -> slots
	slots    []kslot
	pool     sync.Pool
	// built is closed once idx, patterns, slots, pool and the keywords
	// of rules are set (the build, started once by Prepare).
	built    chan struct{}
	start    sync.Once
	keywords [][3][]string // of each rule, for the build
}

// crule is a compiled rule.
type crule struct {
	name    string
	groupBy string
	// any, all and none are slots, one per keyword as written.
	any, all, none []int32
	regions        []cregion
	// about: a region counts only through a main place (weight >= geo.About).
	about bool
}

// cregion is one entry of a rule's regions, expanded to gazetteer places.
type cregion struct {
	name   string
	places []geo.Place
}

// kslot is one keyword of one rule, as written in rules.yaml.
type kslot struct {
	rule int32
	text string
}

// Compile checks cfg (see Validate) against gaz and builds its matcher:
// one index of every keyword and every name of the gazetteer (and every
// alias of cfg). A nil gaz is an empty gazetteer. It returns an ErrorList
// when cfg has problems.
//
// The check is done when Compile returns; the index, most of the work, is
// built on a goroutine of its own once Prepare or the first Match asks for
// it, and Match waits for it. So the caller goes on meanwhile (`bot scan`
// stores documents, which needs no matcher, while the index is built on
// another processor), and a command that finds nothing to match (`bot
// latest` with nothing new) never pays for it.
func Compile(cfg *Config, gaz *geo.Gazetteer) (*Matcher, error) {
	if gaz == nil {
		gaz = geo.New(nil, nil)
	}
	ag, refused := withAliases(cfg, gaz)
	if err := checkWith(cfg, gaz, ag, refused).err(); err != nil {
		return nil, err
	}
	m := &Matcher{gaz: ag, built: make(chan struct{})}
	res := newResolver(cfg, ag, nil)
	// What the index needs of cfg is copied, so the build reads nothing
	// the caller may change.
	keywords := make([][3][]string, len(cfg.Rules))
	for ri, r := range cfg.Rules {
		cr := crule{name: r.Name, groupBy: r.GroupBy, about: r.RegionsMode == RegionsAbout}
		if cr.groupBy == "" {
			cr.groupBy = DefaultGroupBy
		}
		keywords[ri] = [3][]string{slices.Clone(r.Keywords.Any), slices.Clone(r.Keywords.All), slices.Clone(r.Keywords.None)}
		for _, name := range r.Regions {
			cr.regions = append(cr.regions, cregion{name: name, places: res.expand(name)})
		}
		m.rules = append(m.rules, cr)
	}
	m.keywords = keywords
	return m, nil
}

// Prepare starts building the index, once, and returns; Match and Wait
// start it too.
func (m *Matcher) Prepare() {
	m.start.Do(func() {
		keywords := m.keywords
		m.keywords = nil
		go m.build(keywords)
	})
}

// build indexes the names of the gazetteer and the keywords of each rule
// (any, all, none), then closes m.built.
func (m *Matcher) build(keywords [][3][]string) {
	defer close(m.built)
	b := newIndexBuilder()
	var hs []uint64
	for i := range m.gaz.Names() {
		if hs = appendHashes(hs[:0], m.gaz.Folded(i)); len(hs) > 0 {
			b.addName(b.insert(nameRootOf(m.gaz.Folded(i)), hs), int32(i))
		}
	}
	for ri, kws := range keywords {
		cr := &m.rules[ri]
		cr.any = m.addKeywords(b, ri, kws[0])
		cr.all = m.addKeywords(b, ri, kws[1])
		cr.none = m.addKeywords(b, ri, kws[2])
	}
	m.idx = b.build()
	m.pool.New = func() any {
		return &scratch{first: make([]int32, len(m.slots)), ruleHit: make([]bool, len(m.rules))}
	}
}

// Wait starts building the index if Prepare has not, and returns once it
// is built (Match waits for it too).
func (m *Matcher) Wait() {
	m.Prepare()
	<-m.built
}

// addKeywords indexes the keywords of rule ri and returns their slots.
func (m *Matcher) addKeywords(b *indexBuilder, ri int, kws []string) []int32 {
	var out []int32
	for _, kw := range kws {
		hs := appendHashes(nil, kw)
		if len(hs) == 0 {
			continue
		}
		n := b.insert(keywordRoot, hs)
		if b.nodes[n].keyword < 0 {
			b.nodes[n].keyword = int32(len(m.patterns))
			m.patterns = append(m.patterns, nil)
		}
		s := int32(len(m.slots))
		m.slots = append(m.slots, kslot{rule: int32(ri), text: kw})
		p := b.nodes[n].keyword
		m.patterns[p] = append(m.patterns[p], s)
		out = append(out, s)
	}
	return out
}

// Result is what a text holds for the rules.
type Result struct {
	// Tags are the places the text names, each place once, in order of
	// first mention, with the text and offset of that mention.
	Tags []geo.Tag
	// Each tag's Weight says how central its place, admin1 region and
	// country are to the text (geo.Gazetteer.Weigh).
	// Matches are the rules the text matches, in rules.yaml order.
	Matches []RuleMatch
}

// RuleMatch is one rule a text matches, with its evidence.
type RuleMatch struct {
	Rule string
	// Keywords are the rule's keywords found, as written in rules.yaml,
	// each once, in order of first occurrence.
	Keywords []KeywordHit
	// Regions are the rule's regions the text satisfied, each with the
	// first place found inside it (nil for a rule without regions).
	Regions []RegionHit
	// Places are the text's places inside the rule's regions, or all its
	// places for a rule without regions, heaviest first (geo.Tag.Weight).
	Places []geo.Tag
	// GroupKey makes documents one story (see Rule.GroupBy): an admin1
	// code "AF.02", a country "AF", a geonameid, "all" for group_by: rule,
	// or "none" when the text names no place. GroupName is its display
	// name: "Badghis, Afghanistan".
	GroupKey, GroupName string
}

// KeywordHit is a keyword found in a text.
type KeywordHit struct {
	// Keyword is as written in rules.yaml.
	Keyword string
	// Start and End are byte offsets of the first occurrence.
	Start, End int
}

// RegionHit is a region of a rule that a text satisfied.
type RegionHit struct {
	// Region is as written in the rule.
	Region string
	// Tag is the first place of the text inside it.
	Tag geo.Tag
}

// scratch is the per-call working memory of Match, pooled.
type scratch struct {
	text     string
	toks     []corpus.Token
	vars     []uint64 // variants of token varTok-1
	varTok   int
	hits     []hit
	mentions []geo.Mention
	first    []int32 // per slot: 1 + index in hits of its first hit
	touched  []int32 // slots set in first
	ruleHit  []bool
	counts   []int
	in       []int     // tag indexes inside a rule's regions
	tags     []geo.Tag // every mention resolved, before dedupTags
}

// hit is a keyword pattern found at bytes [start, end).
type hit struct {
	pattern    int32
	start, end int32
}

// Gazetteer returns the gazetteer the matcher resolves places with: the
// one Compile was given, with the aliases of rules.yaml added.
func (m *Matcher) Gazetteer() *geo.Gazetteer { return m.gaz }

// Match finds the places text names and the rules it matches.
func (m *Matcher) Match(text string) Result {
	m.Wait()
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	sc.toks = corpus.Tokenize(sc.toks[:0], text)
	sc.text, sc.varTok = text, 0
	m.scan(sc, text)
	sc.text = ""
	var res Result
	if len(sc.mentions) > 0 {
		sc.tags = m.gaz.AppendResolve(sc.tags[:0], text, sc.mentions)
		res.Tags = m.dedupTags(sc, sc.tags)
		m.gaz.Weigh(text, sc.tags, res.Tags)
	}
	if len(sc.hits) > 0 {
		res.Matches = m.evaluate(sc, &res)
	}
	return res
}

// dedupTags returns the first tag of each place, in a new slice, and
// counts each place's mentions in sc.counts.
func (m *Matcher) dedupTags(sc *scratch, tags []geo.Tag) []geo.Tag {
	sc.counts = sc.counts[:0]
	n := 0 // tags[:n] are the first tags of their places
outer:
	for i := range tags {
		id := tags[i].Place.ID
		for j := 0; j < n; j++ {
			if tags[j].Place.ID == id {
				sc.counts[j]++
				continue outer
			}
		}
		if n != i {
			tags[n] = tags[i]
		}
		n++
		sc.counts = append(sc.counts, 1)
	}
	if n == 0 {
		return nil
	}
	return append([]geo.Tag(nil), tags[:n]...)
}
