package rules

import (
	"math/bits"

	"github.com/wirewatch/wirewatch/corpus"
)

// index finds many word sequences (keywords, phrases, place names) in one
// pass over a text's tokens. It is a trie over token hashes whose edges
// all live in one open-addressed hash table keyed by (parent node, token
// hash). A bit filter over the same keys sits in front of the table: most
// tokens start no pattern and most words after a pattern's first word do
// not continue it, and the filter, small enough to stay in cache, says so
// without touching the table.
type index struct {
	slots []edge
	mask  uint64
	shift uint8
	// filters hold two bits per edge: [0] those from the keyword root
	// (rules have few keywords, so it stays in the nearest cache), [1]
	// those from the name root, [2] those from the root of names in
	// Cyrillic and Arabic script, [3] all others.
	filters [4]filter
	nodes   []node
	names   []int32 // name indexes; node.names is a range of it
	// single is the id from which a node id is single + the one name
	// that ends at the node, and has no entry in nodes.
	single uint32
}

// filter is a bit set that rejects most keys it was not given.
type filter struct {
	words []uint64
	mask  uint64 // len(words)-1
	shift uint8
}

// newFilter makes a filter of 8 to 16 bits for each of n keys.
func newFilter(n int) filter {
	words := 1 << max(4, bits.Len(uint(n/8)))
	return filter{make([]uint64, words), uint64(words - 1), uint8(64 - bits.Len(uint(words-1)))}
}

// bits returns the word of key k and the two bits it sets there: two bits
// in one word cut false positives at one memory access.
func (f *filter) bits(k uint64) (word, mask uint64) {
	k *= filterMul
	return (k >> f.shift) & f.mask, 1<<(k&63) | 1<<((k>>6)&63)
}

func (f *filter) add(k uint64) {
	w, m := f.bits(k)
	f.words[w] |= m
}

func (f *filter) has(k uint64) bool {
	w, m := f.bits(k)
	return f.words[w]&m == m
}

// edgeKey is what the table and the filters hash for an edge.
func edgeKey(parent uint32, h uint64) uint64 { return h ^ uint64(parent)*hashMul }

// filterOf is the filter of the edges from parent.
func (x *index) filterOf(parent uint32) *filter { return &x.filters[min(parent, 3)] }

// edge goes from parent to child on the token hash; child 0 marks an empty
// slot (the keyword root, node 0, is never a child).
type edge struct {
	hash   uint64
	parent uint32
	child  ref
}

// ref is a node id with what the node holds in its top bits, so a walk
// learns from the edge it follows whether to look at the node at all.
type ref uint32

const (
	refMore    ref = 1 << 31 // some pattern goes on from the node
	refNames   ref = 1 << 30 // place names end at the node
	refKeyword ref = 1 << 29 // a keyword ends at the node
	refID      ref = refKeyword - 1
)

// id is the node's index in index.nodes.
func (r ref) id() uint32 { return uint32(r & refID) }

// node is a state of the trie: the patterns that end here.
type node struct {
	// keyword is the keyword pattern ending here, or -1.
	keyword int32
	// names[0]:names[1] is the range of index.names ending here.
	names [2]int32
	// more is true when some pattern goes on from here.
	more bool
}

// The trie has three roots, so that a word that cannot start a place name
// (it is not capitalised) costs one probe of the keyword filter only, and a
// capitalised Latin word probes a filter that the names in Cyrillic and
// Arabic script (a third of them) do not fill.
const (
	keywordRoot = 0
	nameRoot    = 1
	scriptRoot  = 2
	hashMul     = 0x9E3779B97F4A7C15
	filterMul   = 0xC2B2AE3D27D4EB4F
)

// next returns the node reached from parent on token hash h.
func (x *index) next(parent uint32, h uint64) (ref, bool) {
	if !x.may(parent, h) {
		return 0, false
	}
	return x.lookup(parent, h)
}

// may reports whether an edge from parent on h may exist; false means it
// certainly does not. It is small enough to inline into the scan loop.
func (x *index) may(parent uint32, h uint64) bool {
	return x.filterOf(parent).has(edgeKey(parent, h))
}

// lookup finds the edge from parent on h in the table.
func (x *index) lookup(parent uint32, h uint64) (ref, bool) {
	i := (edgeKey(parent, h) * hashMul) >> x.shift
	for {
		e := &x.slots[i]
		if e.child == 0 {
			return 0, false
		}
		if e.hash == h && e.parent == parent {
			return e.child, true
		}
		i = (i + 1) & x.mask
	}
}

// indexBuilder collects patterns, then freezes them into an index.
type indexBuilder struct {
	edges map[edgeID]uint32
	nodes []node
	names map[uint32][]int32
}

type edgeID struct {
	parent uint32
	hash   uint64
}

func newIndexBuilder() *indexBuilder {
	return &indexBuilder{
		edges: map[edgeID]uint32{},
		nodes: []node{{keyword: -1}, {keyword: -1}, {keyword: -1}},
		names: map[uint32][]int32{},
	}
}

// insert adds the path of hashes from root and returns its last node.
func (b *indexBuilder) insert(root uint32, hashes []uint64) uint32 {
	n := root
	for _, h := range hashes {
		b.nodes[n].more = true
		k := edgeID{n, h}
		c, ok := b.edges[k]
		if !ok {
			c = uint32(len(b.nodes))
			b.nodes = append(b.nodes, node{keyword: -1})
			b.edges[k] = c
		}
		n = c
	}
	return n
}

// addName records that name index i ends at node n.
func (b *indexBuilder) addName(n uint32, i int32) {
	for _, j := range b.names[n] {
		if j == i {
			return
		}
	}
	b.names[n] = append(b.names[n], i)
}

// build freezes the builder: the edge table at most 80% full, the filter
// with 8 to 16 bits per edge. A node where exactly one name ends (nearly
// every one) gets the id single + that name's index and no entry in nodes,
// so a walk reads the name from the edge it followed; the other nodes keep
// ids below single, the roots theirs.
func (b *indexBuilder) build() *index {
	ids := make([]uint32, len(b.nodes))
	single := uint32(0)
	for n := range b.nodes {
		if len(b.names[uint32(n)]) != 1 {
			ids[n] = single
			single++
		}
	}
	for n := range b.nodes {
		if ns := b.names[uint32(n)]; len(ns) == 1 {
			if uint64(single)+uint64(ns[0]) > uint64(refID) {
				panic("rules: index: too many nodes") // over 500 million words of patterns
			}
			ids[n] = single + uint32(ns[0])
		}
	}
	x := &index{nodes: make([]node, single), single: single}
	size := 1 << max(4, bits.Len(uint(len(b.edges)+len(b.edges)/4)))
	x.slots = make([]edge, size)
	x.mask = uint64(size - 1)
	x.shift = uint8(64 - bits.Len(uint(size-1)))
	var count [4]int
	for e := range b.edges {
		count[min(ids[e.parent], 3)]++
	}
	for i, n := range count {
		x.filters[i] = newFilter(n)
	}
	for e, c := range b.edges {
		parent := ids[e.parent]
		k := edgeKey(parent, e.hash)
		i := (k * hashMul) >> x.shift
		for x.slots[i].child != 0 {
			i = (i + 1) & x.mask
		}
		r := ref(ids[c])
		if b.nodes[c].more {
			r |= refMore
		}
		if len(b.names[c]) > 0 {
			r |= refNames
		}
		if b.nodes[c].keyword >= 0 {
			r |= refKeyword
		}
		x.slots[i] = edge{hash: e.hash, parent: parent, child: r}
		x.filterOf(parent).add(k)
	}
	for n, nd := range b.nodes {
		ns := b.names[uint32(n)]
		if len(ns) == 1 {
			continue
		}
		if len(ns) > 0 {
			nd.names = [2]int32{int32(len(x.names)), int32(len(x.names) + len(ns))}
			x.names = append(x.names, ns...)
		}
		x.nodes[ids[n]] = nd
	}
	return x
}

// namesAt returns the names that end at node id.
func (x *index) namesAt(id uint32, one *[1]int32) []int32 {
	if id >= x.single {
		one[0] = int32(id - x.single)
		return one[:]
	}
	nd := &x.nodes[id]
	return x.names[nd.names[0]:nd.names[1]]
}

// nameRootOf is the root of a folded place name: scriptRoot when its first
// word is in Cyrillic or Arabic script, nameRoot otherwise.
func nameRootOf(folded string) uint32 {
	var buf [4]corpus.Token
	if toks := corpus.Tokenize(buf[:0], folded); len(toks) > 0 && toks[0].Flags&inflected != 0 {
		return scriptRoot
	}
	return nameRoot
}

// rootOf is the root a name starting with a token of flags fl is under.
func rootOf(fl corpus.TokenFlags) uint32 {
	if fl&inflected != 0 {
		return scriptRoot
	}
	return nameRoot
}

// appendHashes appends the token hashes of s (a keyword, a phrase or a
// folded place name) as the matcher sees them in text.
func appendHashes(dst []uint64, s string) []uint64 {
	var buf [16]corpus.Token
	for _, t := range corpus.Tokenize(buf[:0], s) {
		dst = append(dst, t.Hash)
	}
	return dst
}
