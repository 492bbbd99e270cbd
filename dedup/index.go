package dedup

import (
	"slices"
	"time"
	"unsafe"
)

// Index is the in-memory LSH index of near-copy detection: the band keys
// of the most recent documents, so that a document's candidates are found
// without a query to the store. It holds a window of the last
// Options.Window documents added (between Window and Window plus one
// generation, at most 45,875 documents or half the window, see below), and of each band value
// the most recent Options.PerBand documents, so that documents written from
// one template (market closes, weather reports), which share bands with
// every earlier one, cost the same whatever their number.
//
// With a span (Options.Span), documents carry their publication time: a
// candidate published further than the span from the document looked up
// is passed over, a generation whose documents are all older than the
// span before the newest document added is dropped, and a generation is
// closed once the newest time has moved half the span past the newest
// time when it opened, so the index holds about one and a half spans of
// documents, at most Window. Documents published out of order join the
// open generation (they do not open one each).
//
// Documents are kept in generations: an open-addressing table per
// generation, of 4-byte slots holding 16 bits of a band key and the
// document's place in its generation. The newest generation starts with
// 16,384 slots and doubles them as documents come, up to 4,194,304 slots
// (45,875 documents of 64 bands) or half the window, so a small corpus
// costs little; then it is full and a new one starts. The oldest generation is dropped whole once
// the others hold Window documents. Memory is about 370 bytes a document
// of 64 bands plus its ID, and 256 bytes more for the documents of the
// newest generation while it grows.
//
// An Index is not safe for concurrent use; the Detector's lock guards it.
type Index struct {
	window, perBand, bands int
	span                   int64         // seconds; 0: no limit in time
	newest                 int64         // the latest publication time added
	timed                  bool          // newest is set
	gens                   []*generation // oldest first; the last takes new documents
	seq                    uint64        // sequence number of the next document
	size                   int           // documents held
	outOfSpan              int           // candidates passed over for their time

	// scratch of Candidates
	hits  []uint64
	out   []Candidate
	found []int32
	first []uint32
}

// Candidate is a document sharing at least one band with the one looked
// up.
type Candidate struct {
	ID string
	// Shared is the number of bands shared: the more, the more similar.
	Shared int
	// Seq is the order in which the candidate was added: higher is newer.
	Seq uint64
}

// unknown is the time of a document added without one: it is compared
// whatever its time, and never dropped for it.
const unknown = 0

// seconds returns t as the index's time: Unix seconds, or unknown for the
// zero time.
func seconds(t time.Time) int64 {
	if t.IsZero() {
		return unknown
	}
	if s := t.Unix(); s != unknown {
		return s
	}
	return 1 // the epoch's first second is not unknown
}

// Limits of a generation.
const (
	firstSlots    = 1 << 14
	maxSlots      = 1 << 22
	maxGeneration = 1<<16 - 1 // places are 16 bits, 0 is empty
	// maxLoad bounds the share of a generation's slots in use.
	maxLoad = 0.7
)

type generation struct {
	base  uint64 // sequence number of ids[0]
	cap   int    // documents its table takes
	ids   []string
	times []int64 // publication times of ids (nil while all are unknown)
	// last is the latest known time of its documents, set once timed.
	last   int64
	timed  bool     // last is set
	opened int64    // the index's newest time when its first timed document came
	slots  []uint32 // key<<16 | (place+1); 0 is empty
	mask   uint32
	// keys are the band keys of its documents, kept while it may grow.
	keys []uint32
}

// NewIndex returns an empty index for documents of bands band keys each,
// holding about window documents (at least one generation), and per band
// value the perBand most recent of them. A positive span bounds in time
// which documents are candidates of one another (see Index).
func NewIndex(window int, span time.Duration, perBand, bands int) *Index {
	return &Index{window: max(window, 1), span: max(int64(span/time.Second), 0),
		perBand: max(perBand, 1), bands: max(bands, 1)}
}

// OutOfSpan returns how many candidates Candidates passed over so far
// because they were published too far from the document looked up.
func (x *Index) OutOfSpan() int { return x.outOfSpan }

// Len returns the number of documents held.
func (x *Index) Len() int { return x.size }

// Bytes estimates the memory the index holds: its tables and IDs.
func (x *Index) Bytes() int {
	n := 0
	for _, g := range x.gens {
		n += 4*len(g.slots) + int(unsafe.Sizeof(""))*cap(g.ids) + 8*cap(g.times)
		for _, id := range g.ids {
			n += len(id)
		}
	}
	return n
}

// Add records document id, published at (Unix seconds, or unknown), with
// the given band keys as the newest document, dropping the oldest
// generation when the window is full or, with a span, when all its
// documents are older than the span before the newest. Adding an ID again
// records it again; Candidates excludes by ID.
func (x *Index) Add(id string, at int64, keys []uint32) {
	if len(keys) != x.bands {
		panic("dedup: index: a document of the wrong number of bands")
	}
	g := x.current(at)
	place := uint32(len(g.ids))
	g.ids = append(g.ids, id)
	if at != unknown || g.times != nil {
		if g.times == nil {
			g.times = make([]int64, len(g.ids)-1, cap(g.ids))
		}
		g.times = append(g.times, at)
	}
	if at != unknown {
		if !x.timed || at > x.newest {
			x.newest, x.timed = at, true
		}
		if !g.timed {
			g.last, g.timed, g.opened = at, true, x.newest
		}
		g.last = max(g.last, at)
	}
	if g.keys != nil {
		g.keys = append(g.keys, keys...)
	}
	for _, k := range keys {
		g.insert(k, place, x.perBand)
	}
	x.seq++
	x.size++
	for len(x.gens) > 1 && (x.size-len(x.gens[0].ids) >= x.window || x.stale(x.gens[0])) {
		x.size -= len(x.gens[0].ids)
		x.gens[0] = nil
		x.gens = x.gens[1:]
	}
}

// stale reports whether every document of g is older than the span before
// the newest document added; a generation of unknown times never is.
func (x *Index) stale(g *generation) bool {
	return x.span > 0 && g.timed && g.last < x.newest-x.span
}

// current returns the generation that takes the next document, published
// at. The last generation grows (its table doubles, its documents inserted
// again from the keys it keeps meanwhile) until its table has maxSlots
// slots, or it holds half the window, or the newest time has moved half
// the span past its opening; then it drops its keys and a new one starts.
func (x *Index) current(at int64) *generation {
	n := len(x.gens)
	if n > 0 {
		g := x.gens[n-1]
		spent := x.span > 0 && at != unknown && g.timed && max(at, x.newest)-g.opened > x.span/2
		switch {
		case spent:
		case len(g.ids) < g.cap:
			return g
		case len(g.slots) < maxSlots && 2*g.cap < x.window:
			g.grow(x.bands, x.perBand)
			return g
		}
		g.keys = nil
	}
	g := &generation{base: x.seq, keys: []uint32{}}
	g.resize(firstSlots, x.bands)
	x.gens = append(x.gens, g)
	return g
}

// resize gives g an empty table of slots slots and the capacity that
// fills maxLoad of it.
func (g *generation) resize(slots, bands int) {
	g.slots = make([]uint32, slots)
	g.mask = uint32(slots - 1)
	g.cap = max(1, min(int(float64(slots)*maxLoad)/bands, maxGeneration))
}

// grow doubles g's table and inserts its documents again, oldest first.
func (g *generation) grow(bands, perBand int) {
	g.resize(2*len(g.slots), bands)
	for place := range g.ids {
		for _, k := range g.keys[place*bands : (place+1)*bands] {
			g.insert(k, uint32(place), perBand)
		}
	}
}

// slotKey returns the home slot and the 16-bit check of band key k: the
// check comes from all the key's bits, mixed, so it says something the
// slot number does not.
func slotKey(k uint32, mask uint32) (uint32, uint32) {
	return k & mask, (k * 0x9E3779B1) >> 16
}

// insert adds band key k of the document at place. When perBand documents
// of the generation already have this key, the oldest of them gives its
// slot to the new one. A table never fills: it was sized for the
// generation's documents.
func (g *generation) insert(k, place uint32, perBand int) {
	i, check := slotKey(k, g.mask)
	same, oldest := 0, -1
	for ; g.slots[i] != 0; i = (i + 1) & g.mask {
		s := g.slots[i]
		if s>>16 != check {
			continue
		}
		if s&0xFFFF == place+1 {
			return // a document with a repeated key
		}
		same++
		if oldest < 0 || s&0xFFFF < g.slots[oldest]&0xFFFF {
			oldest = int(i)
		}
	}
	if same >= perBand {
		g.slots[oldest] = check<<16 | (place + 1)
		return
	}
	g.slots[i] = check<<16 | (place + 1)
}

// Candidates returns up to limit documents sharing a band key with keys,
// other than exclude, and with a span, published within it of at (unless
// either time is unknown): the most bands shared first, then the newest.
// The result is valid until the next call.
func (x *Index) Candidates(keys []uint32, exclude string, at int64, limit int) []Candidate {
	x.hits = x.hits[:0]
	x.found = append(x.found[:0], make([]int32, len(keys))...)
	x.first = append(x.first[:0], make([]uint32, len(keys))...)
	// The newest generation first: a band value yields its perBand newest
	// documents, whatever their generation.
	for gi := len(x.gens) - 1; gi >= 0; gi-- {
		g := x.gens[gi]
		// Read every home slot before following any run: the reads do not
		// depend on one another, so the processor overlaps their cache
		// misses.
		for j, k := range keys {
			x.first[j] = g.slots[k&g.mask]
		}
		for j, k := range keys {
			if x.first[j] == 0 || int(x.found[j]) >= x.perBand {
				continue
			}
			i, check := slotKey(k, g.mask)
			for ; g.slots[i] != 0; i = (i + 1) & g.mask {
				if s := g.slots[i]; s>>16 == check {
					x.hits = append(x.hits, g.base+uint64(s&0xFFFF-1))
					x.found[j]++
				}
			}
		}
	}
	if len(x.hits) == 0 {
		return nil
	}
	slices.Sort(x.hits)
	x.out = x.out[:0]
	for i := 0; i < len(x.hits); {
		j := i + 1
		for j < len(x.hits) && x.hits[j] == x.hits[i] {
			j++
		}
		if id, t := x.entry(x.hits[i]); id != exclude && id != "" { // "": forgotten
			if x.span > 0 && at != unknown && t != unknown && (t < at-x.span || t > at+x.span) {
				x.outOfSpan++
			} else {
				x.out = append(x.out, Candidate{ID: id, Shared: j - i, Seq: x.hits[i]})
			}
		}
		i = j
	}
	// An ID added twice (a document checked again) counts once, by its
	// best entry.
	slices.SortFunc(x.out, func(a, b Candidate) int {
		if a.Shared != b.Shared {
			return b.Shared - a.Shared
		}
		if a.Seq > b.Seq {
			return -1
		}
		return 1
	})
	n := 0
	for _, c := range x.out {
		if n == limit {
			break
		}
		if !slices.ContainsFunc(x.out[:n], func(o Candidate) bool { return o.ID == c.ID }) {
			x.out[n] = c
			n++
		}
	}
	x.out = x.out[:n]
	return x.out
}

// entry returns the ID and time of the document with sequence number seq,
// which the index holds.
func (x *Index) entry(seq uint64) (string, int64) {
	for _, g := range x.gens {
		if seq < g.base+uint64(len(g.ids)) {
			i := seq - g.base
			if g.times == nil {
				return g.ids[i], unknown
			}
			return g.ids[i], g.times[i]
		}
	}
	panic("dedup: index: sequence number out of range")
}
