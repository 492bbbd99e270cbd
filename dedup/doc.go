// Package dedup finds near-copies of news articles: the same wire story
// published by several outlets with different headers, footers, trims and
// small edits.
//
// A text is reduced to the set of its k-word shingles (k consecutive words,
// normalised by corpus.Tokenize, hashed to 64 bits). Two texts are compared
// by containment, the share of the smaller shingle set that the larger one
// holds, which stays high when one outlet prints a longer version of the
// story; Jaccard similarity is reported alongside. A Detector also sets
// aside boilerplate, shingles seen in many recent documents (an outlet's
// footer or byline), when it measures containment: see Options.Common.
//
// Candidates are found without comparing every pair: each shingle set gets a
// MinHash signature of SignatureSize values, cut into bands of Options.Rows
// values; texts sharing a band hash are candidates, and only candidates are
// compared exactly. A pair with Jaccard similarity J shares a given band with
// probability J^Rows, so it becomes a candidate with probability
// 1-(1-J^Rows)^Bands. Containment c between texts of sizes a <= b bounds
// Jaccard at J = c*a/(a+b-c*a): a copy at c = 0.8 of a text twice its length
// has J = 0.36, and a copy trimmed to a fifth of the original has J <= 0.2.
// The default of 64 bands of 2 rows makes such pairs candidates with
// probability 0.998 at J = 0.3 and 0.93 at J = 0.2, at the price of more
// candidates among unrelated texts than a Jaccard-tuned layout (0.15 at
// J = 0.05); docs/benchmarks/dedup.md has the measured figures.
//
// The other edge of the trade-off is a short copy of a long article: a copy
// holding the first fifth of an article has containment 1 but Jaccard 0.2
// and is found 9 times in 10, a copy of the first tenth 4 times in 10. A
// layout of 128 bands of 1 row finds both always but makes about 22
// candidates per Reuters story instead of 1.
//
// Detector ties these together incrementally over an in-memory Index of
// the band keys of the most recent documents (Options.Window), one
// document at a time; each Verdict carries the document's sketch, its band
// keys in 259 bytes, which the store keeps so that a restarted Detector
// rebuilds its index with Load instead of reading texts. A document is
// compared with at most Options.MaxCandidates candidates, those sharing the
// most bands, and the index keeps per band value only the Options.PerBand
// newest documents, so texts made from one template cost the same however
// many there are.
//
// The default containment threshold, 0.5, sits between copies (the seed
// copies at 0.81, syndicated copies at 0.86 on average) and same-story
// rewrites that reuse some paragraphs (seed 002 at 0.33).
package dedup
