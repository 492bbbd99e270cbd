package dedup

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// BandStore keeps the LSH band hashes of documents. store.Bands satisfies
// it, so detection survives restarts; MemBands keeps them in memory.
type BandStore interface {
	// PutBands records a document's band hashes.
	PutBands(ctx context.Context, docID string, bands []uint64) error
	// BandCandidates returns the IDs of documents sharing at least one
	// band hash with bands, except exclude.
	BandCandidates(ctx context.Context, bands []uint64, exclude string) ([]string, error)
}

// ErrNoText is returned by Check when a candidate's shingles are not in the
// cache and the Detector has no TextFunc to load its text.
var ErrNoText = errors.New("dedup: no TextFunc to load a candidate's text")

// TextFunc returns the text of an earlier document, the same text that was
// passed to Check for it (for the engine: the stored document's Text()).
type TextFunc func(ctx context.Context, id string) (string, error)

// Verdict is what Check found for one document.
type Verdict struct {
	// CopyOf is the earlier document this one copies, "" when none
	// reaches the containment threshold.
	CopyOf string
	// Nearest is the candidate with the highest containment, whether or
	// not it reaches the threshold ("" when there were no candidates).
	// CopyOf is Nearest or "".
	Nearest string
	// Containment and Jaccard compare the document with Nearest;
	// containment leaves boilerplate aside (see Options.Common).
	Containment, Jaccard float64
	// Candidates is how many earlier documents shared a band.
	Candidates int
}

// Stats count a Detector's work since it was made.
type Stats struct {
	// Checks is the number of documents checked, Candidates the number of
	// candidates compared.
	Checks, Candidates int
	// CacheHits counts candidates whose shingles were in memory; Loads
	// those whose text was loaded with the TextFunc.
	CacheHits, Loads int
}

// Detector finds near-copies among documents checked one at a time. It is
// safe for concurrent use; checks run one at a time, so each sees every
// document checked before it.
type Detector struct {
	opts  Options
	bands BandStore
	text  TextFunc

	mu    sync.Mutex
	fpr   *Fingerprinter
	other *Fingerprinter
	cache *lru
	stats Stats
	// common counts shingles over the documents checked (nil when
	// Options.Common is negative); rare[i] says whether the shingle i of
	// the document being checked is below the boilerplate count.
	common *commonSketch
	rare   []bool
}

// NewDetector returns a Detector that keeps bands in bands and loads the
// text of a candidate not in its cache with text. It returns an error when
// the options are out of range.
func NewDetector(bands BandStore, text TextFunc, o Options) (*Detector, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	d := &Detector{
		opts:  o,
		bands: bands,
		text:  text,
		fpr:   NewFingerprinter(o),
		other: NewFingerprinter(o),
		cache: newLRU(o.CacheSize),
	}
	if o.Common > 0 {
		d.common = newCommonSketch()
	}
	return d, nil
}

// Options returns the options in force, defaults filled in.
func (d *Detector) Options() Options { return d.opts }

// Check compares the document id with text against the documents checked
// before it, then records its bands so later documents are compared with
// it. The original chosen is the candidate with the highest containment at
// or above the threshold; among equal containments the higher Jaccard
// similarity (the closer in length) wins, then the smaller ID. Chains are
// not followed: a copy of a copy names the copy when that is the best
// match. A text without words is never a copy and records no bands.
//
// Checking an id again compares it with everything but itself. Errors come
// from the BandStore and the TextFunc, wrapped, or are ErrNoText; after an
// error the document's bands may not be recorded, and checking it again is
// safe.
func (d *Detector) Check(ctx context.Context, id, text string) (Verdict, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Checks++
	fp := d.fpr.Fingerprint(text)
	if len(fp.Shingles) == 0 {
		return Verdict{}, nil
	}
	ids, err := d.bands.BandCandidates(ctx, fp.Bands, id)
	if err != nil {
		return Verdict{}, fmt.Errorf("dedup: candidates of %s: %w", id, err)
	}
	v := Verdict{Candidates: len(ids)}
	rare := -1
	if len(ids) > 0 {
		rare = d.markRare(fp.Shingles)
	}
	for _, cand := range ids {
		set, err := d.shingles(ctx, cand)
		if err != nil {
			return Verdict{}, err
		}
		c, j := d.compare(fp.Shingles, rare, set)
		if v.Nearest == "" || c > v.Containment ||
			c == v.Containment && (j > v.Jaccard || j == v.Jaccard && cand < v.Nearest) {
			v.Nearest, v.Containment, v.Jaccard = cand, c, j
		}
	}
	if v.Nearest != "" && v.Containment >= d.opts.Containment {
		v.CopyOf = v.Nearest
	}
	if err := d.bands.PutBands(ctx, id, fp.Bands); err != nil {
		return Verdict{}, fmt.Errorf("dedup: bands of %s: %w", id, err)
	}
	d.cache.put(id, fp.Shingles)
	if d.common != nil {
		d.common.add(fp.Shingles)
	}
	return v, nil
}

// shingles returns the shingle set of an earlier document, from the cache
// or by loading and fingerprinting its text. The result is valid until the
// next call.
func (d *Detector) shingles(ctx context.Context, id string) ([]uint64, error) {
	d.stats.Candidates++
	if set, ok := d.cache.get(id); ok {
		d.stats.CacheHits++
		return set, nil
	}
	if d.text == nil {
		return nil, fmt.Errorf("dedup: candidate %s: %w", id, ErrNoText)
	}
	d.stats.Loads++
	text, err := d.text(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("dedup: text of candidate %s: %w", id, err)
	}
	set := d.other.shingles(text)
	d.cache.put(id, set)
	return set, nil
}

// Stats returns the counts of work done so far.
func (d *Detector) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}
