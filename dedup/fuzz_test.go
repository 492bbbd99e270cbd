package dedup

import (
	"context"
	"slices"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
)

// naiveShingles is the reference for ShingleTokens: the same rules written
// plainly.
func naiveShingles(text string, k int) []uint64 {
	var words []uint64
	for _, t := range corpus.Tokenize(nil, text) {
		if t.Flags&corpus.Connector == 0 {
			words = append(words, t.Hash)
		}
	}
	k = min(max(k, 1), maxShingle)
	if len(words) > 0 && len(words) < k {
		k = len(words)
	}
	var out []uint64
	for i := 0; i+k <= len(words); i++ {
		h := uint64(k) * golden
		for _, w := range words[i : i+k] {
			h = mix64(h ^ w)
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func FuzzFingerprint(f *testing.F) {
	for _, s := range []string{"", "a", "Qala-i-Naw fell", "Taliban's assault on Qal‘ah-ye Now, Badghis.",
		"\xff\xfe broken utf8 \xc3", "ÀÉÎÕÜ ß æ œ ı", "1 2 3 4 5 6 7 8 9 10 11 12", "word " + string(rune(0x10FFFF))} {
		f.Add(s, 5)
	}
	f.Add("short", 0)
	f.Add("a b c d e f g h", 40)
	f.Fuzz(func(t *testing.T, text string, k int) {
		o := Options{Shingle: min(max(k, 1), maxShingle)}
		got := Shingles(nil, text, k)
		if want := naiveShingles(text, k); !slices.Equal(got, want) {
			t.Fatalf("Shingles(%q, %d) = %x, want %x", text, k, got, want)
		}
		a := FingerprintOf(text, o)
		b := NewFingerprinter(o)
		b.Fingerprint("some other text to dirty the buffers of the fingerprinter")
		fb := b.Fingerprint(text)
		if !slices.Equal(a.Shingles, fb.Shingles) || a.Signature != fb.Signature || !slices.Equal(a.Bands, fb.Bands) {
			t.Fatalf("fingerprint of %q differs between a fresh and a used Fingerprinter", text)
		}
		if a.Signature != MinHash(a.Shingles) {
			t.Fatal("signature is not the MinHash of the shingles")
		}
		if wantBands := SignatureSize / DefaultRows; len(a.Shingles) > 0 && len(a.Bands) != wantBands ||
			len(a.Shingles) == 0 && len(a.Bands) != 0 {
			t.Fatalf("%d shingles, %d bands", len(a.Shingles), len(a.Bands))
		}
		// A text checked twice is a copy of itself, whole.
		d, err := NewDetector(nil, o)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := d.Check(ctx, "first", text); err != nil {
			t.Fatal(err)
		}
		v, err := d.Check(ctx, "second", text)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Shingles) > 0 && (v.CopyOf != "first" || v.Containment != 1 || v.Jaccard != 1) ||
			len(a.Shingles) == 0 && (v.CopyOf != "" || v.Nearest != "" || v.Sketch != nil) {
			t.Fatalf("second check of %q: %+v", text, v)
		}
	})
}
