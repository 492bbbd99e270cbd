package ngram

import (
	"slices"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
)

func TestScan(t *testing.T) {
	x := New([]string{"qala naw", "badghis", "new york", "york", "new york city", "kabul"})
	for _, tc := range []struct {
		text string
		want []Match
	}{
		{"Qala-i-Naw, Badghis", []Match{{0, 0, 3}, {1, 3, 4}}},
		{"Qala-e-Naw and Qala Naw", []Match{{0, 0, 3}, {0, 4, 6}}},
		{"in New York City today", []Match{{4, 1, 4}}},
		{"New York and York", []Match{{2, 0, 2}, {3, 3, 4}}},
		{"i Kabul e", []Match{{5, 1, 2}}},
		{"nothing here", nil},
	} {
		got := x.Scan(nil, corpus.Tokenize(nil, tc.text))
		if !slices.Equal(got, tc.want) {
			t.Errorf("Scan(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
