package dedup

import "github.com/wirewatch/wirewatch/corpus"

// Fingerprint is what near-duplicate detection keeps of one text.
type Fingerprint struct {
	// Shingles is the sorted set of the text's shingle hashes.
	Shingles []uint64
	// Signature is the MinHash signature of Shingles.
	Signature Signature
	// Bands are the LSH band hashes of Signature, SignatureSize/Rows of
	// them; nil when the text has no shingles.
	Bands []uint64
}

// FingerprintOf returns the fingerprint of text under options o (zero
// fields mean the defaults). It is deterministic: equal texts and options
// give equal fingerprints.
func FingerprintOf(text string, o Options) Fingerprint {
	f := NewFingerprinter(o).Fingerprint(text)
	return Fingerprint{
		Shingles:  append([]uint64(nil), f.Shingles...),
		Signature: f.Signature,
		Bands:     append([]uint64(nil), f.Bands...),
	}
}

// Fingerprinter computes fingerprints, reusing its buffers from one text
// to the next. It is not safe for concurrent use.
type Fingerprinter struct {
	shingle, rows int
	toks          []corpus.Token
	sorter        hashSorter
	fp            Fingerprint
}

// NewFingerprinter returns a Fingerprinter for options o (zero fields mean
// the defaults; o should pass Validate).
func NewFingerprinter(o Options) *Fingerprinter {
	o = o.withDefaults()
	return &Fingerprinter{shingle: o.Shingle, rows: o.Rows}
}

// Fingerprint returns the fingerprint of text. The result and its slices
// stay valid only until the next call.
func (f *Fingerprinter) Fingerprint(text string) *Fingerprint {
	f.toks = corpus.Tokenize(f.toks[:0], text)
	f.fp.Shingles = f.sorter.shingles(f.fp.Shingles, f.toks, f.shingle)
	minHashInto(&f.fp.Signature, f.fp.Shingles)
	if len(f.fp.Shingles) == 0 {
		f.fp.Bands = f.fp.Bands[:0]
		return &f.fp
	}
	f.fp.Bands = Bands(f.fp.Bands, &f.fp.Signature, f.rows)
	return &f.fp
}

// shingles returns only the shingle set of text, valid until the next call.
func (f *Fingerprinter) shingles(text string) []uint64 {
	f.toks = corpus.Tokenize(f.toks[:0], text)
	f.fp.Shingles = f.sorter.shingles(f.fp.Shingles, f.toks, f.shingle)
	return f.fp.Shingles
}
