package store

import (
	"encoding/json"
	"fmt"

	"github.com/wirewatch/wirewatch/corpus"
)

// analysisJSON is how both backends keep a document's analysis: one JSON
// value per document, so that storing it is one row whatever the number of
// places and matches, and new fields need no schema change.
type analysisJSON struct {
	Regions []corpus.DocRegion `json:"regions,omitempty"`
	Matches []corpus.DocMatch  `json:"matches,omitempty"`
}

// EncodeAnalysis returns the stored form of a.
func EncodeAnalysis(a corpus.Analysis) ([]byte, error) {
	b, err := json.Marshal(analysisJSON{Regions: a.Regions, Matches: a.Matches})
	if err != nil {
		return nil, fmt.Errorf("encoding analysis: %w", err)
	}
	return b, nil
}

// DecodeAnalysis reads what EncodeAnalysis made. Empty lists read as nil.
func DecodeAnalysis(b []byte) (corpus.Analysis, error) {
	var v analysisJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return corpus.Analysis{}, fmt.Errorf("decoding analysis: %w", err)
	}
	a := corpus.Analysis{Regions: v.Regions, Matches: v.Matches}
	if len(a.Regions) == 0 {
		a.Regions = nil
	}
	if len(a.Matches) == 0 {
		a.Matches = nil
	}
	return a, nil
}
