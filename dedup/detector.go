package dedup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

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
	// Candidates is how many earlier documents were compared: those
	// sharing a band, at most Options.MaxCandidates.
	Candidates int
	// Compared are their IDs, the most bands shared first.
	Compared []string
	// Sketch is the compact form of the document's bands for the store
	// to keep, so a restarted Detector can Load it (nil for a text
	// without words).
	Sketch []byte
}

// Stats count a Detector's work since it was made.
type Stats struct {
	// Checks is the number of documents checked, Candidates the number of
	// candidates compared.
	Checks, Candidates int
	// CacheHits counts candidates whose shingles were in memory; Loads
	// those whose text was loaded with the TextFunc.
	CacheHits, Loads int
	// Capped counts the checks that found more candidates than
	// Options.MaxCandidates and compared only the best.
	Capped int
	// OutOfSpan counts the documents sharing a band that were passed over
	// because they were published further than Options.Span away.
	OutOfSpan int
}

// Detector finds near-copies among documents checked one at a time. It is
// safe for concurrent use; checks run one at a time, so each sees every
// document checked before it.
type Detector struct {
	opts   Options
	text   TextFunc
	prints sync.Pool // of *Fingerprinter, for Fingerprint

	mu    sync.Mutex
	index *Index
	keys  []uint32
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

// NewDetector returns a Detector with an empty index that loads the text
// of a candidate not in its cache with text. It returns an error when the
// options are out of range.
func NewDetector(text TextFunc, o Options) (*Detector, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	d := &Detector{
		opts:   o,
		text:   text,
		prints: sync.Pool{New: func() any { return NewFingerprinter(o) }},
		index:  NewIndex(o.Window, o.Span, o.PerBand, SignatureSize/o.Rows),
		fpr:    NewFingerprinter(o),
		other:  NewFingerprinter(o),
		cache:  newLRU(o.CacheSize),
	}
	if o.Common > 0 {
		d.common = newCommonSketch()
	}
	return d, nil
}

// Options returns the options in force, defaults filled in.
func (d *Detector) Options() Options { return d.opts }

// Fingerprint returns the fingerprint of text under the detector's options,
// for CheckFingerprint. It is safe to call from several goroutines at once,
// beside Check.
func (d *Detector) Fingerprint(text string) *Fingerprint {
	f := d.prints.Get().(*Fingerprinter)
	fp := f.Fingerprint(text)
	out := &Fingerprint{Shingles: slices.Clone(fp.Shingles), Signature: fp.Signature, Bands: slices.Clone(fp.Bands)}
	d.prints.Put(f)
	return out
}

// Check fingerprints text and checks it as CheckFingerprint does, for a
// document of unknown time.
func (d *Detector) Check(ctx context.Context, id, text string) (Verdict, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.check(ctx, id, unknown, d.fpr.Fingerprint(text))
}

// CheckFingerprint compares the document id, published at (the zero time
// when unknown), of fingerprint fp (made by a Fingerprinter with the
// detector's Options, so that it can be computed on another goroutine),
// against the documents of the index, then adds it to the index so later
// documents are compared with it. Candidates are the documents sharing a
// band and published within Options.Span of at, the
// Options.MaxCandidates sharing the most bands (then the newest); the
// original chosen is the candidate with the
// highest containment at or above the threshold; among equal containments
// the higher Jaccard similarity (the closer in length) wins, then the
// smaller ID. Chains are not followed: a copy of a copy names the copy when
// that is the best match. A text without words is never a copy and is not
// added.
//
// Checking an id again compares it with everything but itself. Errors come
// from the TextFunc, wrapped, or are ErrNoText; after an error the document
// is not added, and checking it again is safe.
func (d *Detector) CheckFingerprint(ctx context.Context, id string, at time.Time, fp *Fingerprint) (Verdict, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.check(ctx, id, seconds(at), fp)
}

func (d *Detector) check(ctx context.Context, id string, at int64, fp *Fingerprint) (Verdict, error) {
	d.stats.Checks++
	if len(fp.Shingles) == 0 {
		return Verdict{}, nil
	}
	d.keys = bandKeys(d.keys, fp.Bands)
	cands := d.index.Candidates(d.keys, id, at, d.opts.MaxCandidates+1)
	if len(cands) > d.opts.MaxCandidates {
		d.stats.Capped++
		cands = cands[:d.opts.MaxCandidates]
	}
	v := Verdict{Candidates: len(cands)}
	rare := -1
	if len(cands) > 0 {
		rare = d.markRare(fp.Shingles)
	}
	for _, c := range cands {
		v.Compared = append(v.Compared, c.ID)
		set, err := d.shingles(ctx, c.ID)
		if err != nil {
			return Verdict{}, err
		}
		cont, j := d.compare(fp.Shingles, rare, set)
		if v.Nearest == "" || cont > v.Containment ||
			cont == v.Containment && (j > v.Jaccard || j == v.Jaccard && c.ID < v.Nearest) {
			v.Nearest, v.Containment, v.Jaccard = c.ID, cont, j
		}
	}
	if v.Nearest != "" && v.Containment >= d.opts.Containment {
		v.CopyOf = v.Nearest
	}
	d.index.Add(id, at, d.keys)
	v.Sketch = appendSketch(nil, d.opts.Shingle, d.opts.Rows, d.keys)
	d.cache.put(id, fp.Shingles)
	if d.common != nil {
		d.common.add(fp.Shingles)
	}
	return v, nil
}

// Load adds to the index a document checked before, published at (the
// zero time when unknown), by the sketch its Verdict carried, as if it had
// just been checked: to rebuild the index when a process starts, oldest
// first. Its shingles are loaded with the TextFunc when it becomes a
// candidate. A sketch made with other options gives an error wrapping
// ErrSketchLayout and adds nothing.
func (d *Detector) Load(id string, at time.Time, sketch []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	keys, err := decodeSketch(d.keys, sketch, d.opts.Shingle, d.opts.Rows)
	if err != nil {
		return fmt.Errorf("dedup: load %s: %w", id, err)
	}
	d.keys = keys
	d.index.Add(id, seconds(at), keys)
	return nil
}

// Sketch returns the sketch of fingerprint fp, as a Verdict carries it:
// what Load takes. It is nil for a text without words.
func (d *Detector) Sketch(fp *Fingerprint) []byte {
	if len(fp.Shingles) == 0 {
		return nil
	}
	return appendSketch(nil, d.opts.Shingle, d.opts.Rows, bandKeys(nil, fp.Bands))
}

// IndexSize returns the number of documents the index holds and an
// estimate of the bytes it takes.
func (d *Detector) IndexSize() (docs, bytes int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.index.Len(), d.index.Bytes()
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
	st := d.stats
	st.OutOfSpan = d.index.OutOfSpan()
	return st
}
