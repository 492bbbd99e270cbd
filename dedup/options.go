package dedup

import "fmt"

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
	DefaultCacheSize = 1024
	// DefaultCommon is the number of recent documents a shingle must occur
	// in to count as boilerplate.
	DefaultCommon = 32
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
	}
	return nil
}
