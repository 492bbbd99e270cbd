package dedup

import (
	"fmt"
	"time"
)

// Defaults used where Options leaves a field zero.
const (
	// DefaultShingle is the shingle size in words.
	DefaultShingle = 5
	// DefaultContainment is the containment at or above which a text is a
	// copy of an earlier one.
	DefaultContainment = 0.5
	// DefaultRows is the number of signature values per LSH band.
	DefaultRows = 2
	// DefaultCacheSize is how many shingle sets a Detector keeps in memory.
	DefaultCacheSize = 4096
	// DefaultCommon is the number of recent documents a shingle must occur
	// in to count as boilerplate.
	DefaultCommon = 32
	// DefaultWindow is how many of the most recent documents the index
	// holds: a copy is found when its original is among them.
	DefaultWindow = 100_000
	// DefaultSpan is how far apart in publication time a copy and its
	// original may be.
	DefaultSpan = 7 * 24 * time.Hour
	// DefaultPerBand is how many of the most recent documents the index
	// keeps per band value.
	DefaultPerBand = 32
	// DefaultMaxCandidates is how many candidates a document is compared
	// with at most.
	DefaultMaxCandidates = 32
)

// Options tune near-duplicate detection. The zero value means the defaults.
type Options struct {
	// Shingle is the shingle size in words (rules.yaml dedup.shingle).
	Shingle int
	// Containment is the threshold in (0, 1] for a copy (rules.yaml
	// dedup.containment).
	Containment float64
	// Rows is the number of signature values per band; it must divide
	// SignatureSize. Fewer rows find copies at lower Jaccard similarity
	// and produce more candidates. Bands already stored were made with one
	// value and are not comparable with bands made with another.
	Rows int
	// CacheSize is how many recent shingle sets a Detector keeps so that
	// confirming a candidate rarely needs its text; negative disables it.
	CacheSize int
	// Common is the number of recent documents (up to 255) a shingle must
	// occur in for a Detector to treat it as boilerplate (a footer, a
	// byline) and leave it out of containment; negative disables it.
	Common int
	// Window is how many of the most recent documents checked the index
	// holds (it may hold up to one generation, at most 45,875 documents,
	// more): older ones are no longer candidates.
	Window int
	// Span is how far apart in publication time a copy and its original
	// may be (rules.yaml dedup.window): a candidate published further from
	// the document checked is passed over, and the index keeps about one
	// and a half spans of documents (at most Window). It applies to
	// documents checked and loaded with a time; negative means no limit.
	Span time.Duration
	// PerBand is how many of the most recent documents the index keeps for
	// one band value. Templated texts share some band values with every
	// document of their template; the cap keeps their cost flat.
	PerBand int
	// MaxCandidates is how many candidates a document is compared with at
	// most: those sharing the most bands, then the newest.
	MaxCandidates int
}

// withDefaults returns o with zero fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.Shingle == 0 {
		o.Shingle = DefaultShingle
	}
	if o.Containment == 0 {
		o.Containment = DefaultContainment
	}
	if o.Rows == 0 {
		o.Rows = DefaultRows
	}
	if o.CacheSize == 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.Common == 0 {
		o.Common = DefaultCommon
	}
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.Span == 0 {
		o.Span = DefaultSpan
	}
	if o.PerBand == 0 {
		o.PerBand = DefaultPerBand
	}
	if o.MaxCandidates == 0 {
		o.MaxCandidates = DefaultMaxCandidates
	}
	return o
}

// Validate reports the first field out of range, naming it.
func (o Options) Validate() error {
	o = o.withDefaults()
	switch {
	case o.Shingle < 1 || o.Shingle > maxShingle:
		return fmt.Errorf("dedup: shingle %d: want 1..%d words", o.Shingle, maxShingle)
	case !(o.Containment > 0 && o.Containment <= 1):
		return fmt.Errorf("dedup: containment %g: want a share in (0, 1]", o.Containment)
	case o.Common > 255:
		return fmt.Errorf("dedup: common %d: want at most 255 documents", o.Common)
	case o.Rows < 1 || o.Rows > SignatureSize || SignatureSize%o.Rows != 0:
		return fmt.Errorf("dedup: rows %d: want a divisor of %d", o.Rows, SignatureSize)
	case o.Window < 1:
		return fmt.Errorf("dedup: window %d: want at least 1 document", o.Window)
	case o.PerBand < 1:
		return fmt.Errorf("dedup: per band %d: want at least 1 document", o.PerBand)
	case o.MaxCandidates < 1:
		return fmt.Errorf("dedup: max candidates %d: want at least 1", o.MaxCandidates)
	}
	return nil
}

// WithDefaults returns o with its zero fields set to the defaults: the
// options a Detector made with o works with.
func (o Options) WithDefaults() Options { return o.withDefaults() }
