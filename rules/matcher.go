package rules

import (
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"

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
}

// crule is a compiled rule.
type crule struct {
	name    string
	groupBy string
	// any, all and none are slots, one per keyword as written.
	any, all, none []int32
	regions        []cregion
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
func Compile(cfg *Config, gaz *geo.Gazetteer) (*Matcher, error) {
	if gaz == nil {
		gaz = geo.New(nil, nil)
	}
	ag, refused := withAliases(cfg, gaz)
	if err := checkWith(cfg, gaz, ag, refused).err(); err != nil {
		return nil, err
	}
	m := &Matcher{gaz: ag}
	b := newIndexBuilder()
	var hs []uint64
	for i := range ag.Names() {
		if hs = appendHashes(hs[:0], ag.Folded(i)); len(hs) > 0 {
			b.addName(b.insert(nameRoot, hs), int32(i))
		}
	}
	res := newResolver(cfg, ag, nil)
	for ri, r := range cfg.Rules {
		cr := crule{name: r.Name, groupBy: r.GroupBy}
		if cr.groupBy == "" {
			cr.groupBy = DefaultGroupBy
		}
		cr.any = m.addKeywords(b, ri, r.Keywords.Any)
		cr.all = m.addKeywords(b, ri, r.Keywords.All)
		cr.none = m.addKeywords(b, ri, r.Keywords.None)
		for _, name := range r.Regions {
			cr.regions = append(cr.regions, cregion{name: name, places: res.expand(name)})
		}
		m.rules = append(m.rules, cr)
	}
	m.idx = b.build()
	m.pool.New = func() any {
		return &scratch{first: make([]int32, len(m.slots)), ruleHit: make([]bool, len(m.rules))}
	}
	return m, nil
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
	// places for a rule without regions.
	Places []geo.Tag
	// GroupKey makes documents one story (see Rule.GroupBy): an admin1
	// code "AF.02", a country "AF", a geonameid, "all" for group_by: rule,
	// or "none" when the text names no place. GroupName is its display
	// name: "Badghis, AF".
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
	toks     []corpus.Token
	hits     []hit
	mentions []geo.Mention
	first    []int32 // per slot: 1 + index in hits of its first hit
	touched  []int32 // slots set in first
	ruleHit  []bool
	counts   []int
	in       []int // tag indexes inside a rule's regions
	tags     []geo.Tag
}

// hit is a keyword pattern found at bytes [start, end).
type hit struct {
	pattern    int32
	start, end int32
}

// Match finds the places text names and the rules it matches.
func (m *Matcher) Match(text string) Result {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	sc.toks = corpus.Tokenize(sc.toks[:0], text)
	m.scan(sc, text)
	var res Result
	if len(sc.mentions) > 0 {
		sc.tags = m.gaz.AppendResolve(sc.tags[:0], text, sc.mentions)
		res.Tags = m.dedupTags(sc, sc.tags)
	}
	if len(sc.hits) > 0 {
		res.Matches = m.evaluate(sc, res.Tags)
	}
	return res
}

// scan finds in sc.toks every keyword occurrence and, leftmost-longest,
// every place name written as a name. Matches may span punctuation, so
// "U.S." and "St. Louis" are names.
func (m *Matcher) scan(sc *scratch, text string) {
	sc.hits, sc.mentions = sc.hits[:0], sc.mentions[:0]
	x, toks := m.idx, sc.toks
	nameUntil := 0 // names may not start before this token
	for i := range toks {
		h := toks[i].Hash
		if x.may(keywordRoot, h) {
			m.keywordsAt(sc, i)
		}
		if i >= nameUntil && (toks[i].Flags&(corpus.Capitalised|corpus.AllCaps) != 0 ||
			text[toks[i].Start] >= utf8.RuneSelf && writtenAsName(text, toks[i])) && x.may(nameRoot, h) {
			if end := m.nameAt(sc, i); end >= 0 {
				nameUntil = end + 1
			}
		}
	}
}

// keywordsAt records every keyword that starts at token i.
func (m *Matcher) keywordsAt(sc *scratch, i int) {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(keywordRoot, toks[i].Hash)
	for j := i; ok; {
		if r&refKeyword != 0 {
			sc.hits = append(sc.hits, hit{x.nodes[r.id()].keyword, toks[i].Start, toks[j].End})
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			return
		}
		r, ok = x.next(r.id(), toks[j].Hash)
	}
}

// nameAt records the longest place name that starts at token i, skipping
// connector words (i, e, ye) inside it, and returns its last token, or -1.
func (m *Matcher) nameAt(sc *scratch, i int) int {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(nameRoot, toks[i].Hash)
	end, endNode := -1, uint32(0)
	for j := i; ok; {
		if r&refNames != 0 {
			end, endNode = j, r.id()
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			break
		}
		c, found := x.next(r.id(), toks[j].Hash)
		for !found && toks[j].Flags&corpus.Connector != 0 && j+1 < len(toks) {
			j++
			c, found = x.next(r.id(), toks[j].Hash)
		}
		r, ok = c, found
	}
	if end < 0 {
		return -1
	}
	nd := &x.nodes[endNode]
	for _, ni := range x.names[nd.names[0]:nd.names[1]] {
		sc.mentions = append(sc.mentions, geo.Mention{
			Name: int(ni), Start: int(toks[i].Start), End: int(toks[end].End), Flags: toks[i].Flags,
		})
	}
	return end
}

// writtenAsName reports whether a name may start at token t: capitalised,
// in capitals, or in a script without case. geo.Gazetteer.Resolve keeps
// no other mention, so none is made.
func writtenAsName(text string, t corpus.Token) bool {
	if t.Flags&(corpus.Capitalised|corpus.AllCaps) != 0 {
		return true
	}
	c := text[t.Start]
	if c < utf8.RuneSelf {
		return false // a lower-case letter or a digit
	}
	r, _ := utf8.DecodeRuneInString(text[t.Start:])
	return unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r)
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

// evaluate decides every rule from the keyword hits and the tags.
func (m *Matcher) evaluate(sc *scratch, tags []geo.Tag) []RuleMatch {
	for hi, h := range sc.hits {
		for _, s := range m.patterns[h.pattern] {
			if sc.first[s] == 0 {
				sc.first[s] = int32(hi + 1)
				sc.touched = append(sc.touched, s)
				sc.ruleHit[m.slots[s].rule] = true
			}
		}
	}
	var out []RuleMatch
	for ri := range m.rules {
		if !sc.ruleHit[ri] {
			continue
		}
		sc.ruleHit[ri] = false
		r := &m.rules[ri]
		if !r.keywordsMatch(sc.first) {
			continue
		}
		rm, ok := m.where(sc, r, tags)
		if !ok {
			continue
		}
		rm.Rule = r.name
		rm.Keywords = m.keywordsFound(sc, r)
		out = append(out, rm)
	}
	for _, s := range sc.touched {
		sc.first[s] = 0
	}
	sc.touched = sc.touched[:0]
	return out
}

// keywordsMatch applies any, all and none to the slots found.
func (r *crule) keywordsMatch(first []int32) bool {
	for _, s := range r.none {
		if first[s] != 0 {
			return false
		}
	}
	for _, s := range r.all {
		if first[s] == 0 {
			return false
		}
	}
	if len(r.any) == 0 {
		return true
	}
	for _, s := range r.any {
		if first[s] != 0 {
			return true
		}
	}
	return false
}

// keywordsFound lists the rule's any and all keywords found, each once,
// by first occurrence.
func (m *Matcher) keywordsFound(sc *scratch, r *crule) []KeywordHit {
	var out []KeywordHit
	for _, list := range [][]int32{r.any, r.all} {
	next:
		for _, s := range list {
			if sc.first[s] == 0 {
				continue
			}
			h := sc.hits[sc.first[s]-1]
			kh := KeywordHit{Keyword: m.slots[s].text, Start: int(h.start), End: int(h.end)}
			for _, o := range out {
				if o.Keyword == kh.Keyword {
					continue next
				}
			}
			i := len(out)
			out = append(out, kh)
			for ; i > 0 && out[i-1].Start > kh.Start; i-- {
				out[i] = out[i-1]
			}
			out[i] = kh
		}
	}
	return out
}

// where checks the rule's regions against the tags and fills the places,
// regions and story group of its match; ok is false when the rule has
// regions and no tag lies inside them.
func (m *Matcher) where(sc *scratch, r *crule, tags []geo.Tag) (rm RuleMatch, ok bool) {
	sc.in = sc.in[:0]
	if len(r.regions) == 0 {
		for i := range tags {
			sc.in = append(sc.in, i)
		}
	} else {
		for ti, t := range tags {
			inside := false
			for _, reg := range r.regions {
				if m.within(t.Place, reg) {
					inside = true
					break
				}
			}
			if inside {
				sc.in = append(sc.in, ti)
			}
		}
		if len(sc.in) == 0 {
			return rm, false
		}
		for _, reg := range r.regions {
			for _, ti := range sc.in {
				if m.within(tags[ti].Place, reg) {
					rm.Regions = append(rm.Regions, RegionHit{Region: reg.name, Tag: tags[ti]})
					break
				}
			}
		}
	}
	if len(sc.in) > 0 {
		rm.Places = make([]geo.Tag, len(sc.in))
		for i, ti := range sc.in {
			rm.Places[i] = tags[ti]
		}
	}
	rm.GroupKey, rm.GroupName = m.group(r, tags, sc.counts, sc.in)
	return rm, true
}

func (m *Matcher) within(p geo.Place, reg cregion) bool {
	for _, rp := range reg.places {
		if m.gaz.Within(p, rp) {
			return true
		}
	}
	return false
}

// group picks the story key of a match: the key (admin1, country or
// place, per the rule) that the places in[] name most often, the first
// named on a tie.
func (m *Matcher) group(r *crule, tags []geo.Tag, counts []int, in []int) (key, name string) {
	if r.groupBy == GroupByRule {
		return "all", r.name
	}
	if len(in) == 0 {
		return "none", ""
	}
	bestCount := 0
	for i, ti := range in {
		k := m.keyOf(r.groupBy, tags[ti].Place)
		n := 0
		for _, tj := range in[i:] {
			if m.keyOf(r.groupBy, tags[tj].Place) == k {
				n += counts[tj]
			}
		}
		if n > bestCount {
			bestCount, key = n, k
			name = m.keyName(r.groupBy, tags[ti].Place)
		}
	}
	return key, name
}

// keyOf is the group key of place p under groupBy.
func (m *Matcher) keyOf(groupBy string, p geo.Place) string {
	switch groupBy {
	case GroupByPlace:
		return strconv.FormatInt(p.ID, 10)
	case GroupByCountry:
		return p.Country
	}
	if p.Admin1 == "" {
		return p.Country
	}
	return p.Admin1
}

// keyName is the display name of keyOf(groupBy, p).
func (m *Matcher) keyName(groupBy string, p geo.Place) string {
	switch groupBy {
	case GroupByPlace:
		return m.PlaceLabel(p)
	case GroupByCountry:
		return m.countryName(p)
	}
	if p.Admin1 == "" {
		return m.countryName(p)
	}
	return m.admin1Name(p)
}

// PlaceLabel names a place with what holds it: "Qala i Naw (Badghis,
// AF)", "Badghis, AF", "Afghanistan".
func (m *Matcher) PlaceLabel(p geo.Place) string {
	switch {
	case p.Level == geo.LevelCountry:
		return p.Name
	case p.Level == geo.LevelAdmin1 || p.Admin1 == "":
		return p.Name + ", " + p.Country
	}
	return p.Name + " (" + m.admin1Name(p) + ")"
}

// admin1Name is "Badghis, AF" for any place inside Badghis.
func (m *Matcher) admin1Name(p geo.Place) string {
	if a, ok := m.gaz.Admin1Of(p); ok {
		return a.Name + ", " + p.Country
	}
	return p.Admin1
}

func (m *Matcher) countryName(p geo.Place) string {
	if c, ok := m.gaz.CountryOf(p); ok {
		return c.Name
	}
	return p.Country
}
