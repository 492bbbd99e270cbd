package dedup

import (
	"context"
	"slices"
	"sync"
)

// MemBands is a BandStore in memory, for tests, benchmarks and runs that
// need no persistence. The zero value is ready to use and it is safe for
// concurrent use.
type MemBands struct {
	mu    sync.Mutex
	ids   []string
	index map[string]int32
	// heads is an open-addressing table from band hash to the newest
	// posting of that hash; postings of one hash are chained through
	// next, newest first.
	heads    bandTable
	postings []posting
	// seen[doc] == stamp marks a document already collected by the
	// current query.
	seen  []uint32
	stamp uint32
}

type posting struct {
	doc, next int32
}

var _ BandStore = (*MemBands)(nil)

// PutBands records bands for docID. Recording a document again adds its new
// bands; bands already recorded stay.
func (m *MemBands) PutBands(_ context.Context, docID string, bands []uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.index == nil {
		m.index = make(map[string]int32)
	}
	doc, ok := m.index[docID]
	if !ok {
		doc = int32(len(m.ids))
		m.ids = append(m.ids, docID)
		m.seen = append(m.seen, 0)
		m.index[docID] = doc
	}
	for _, b := range bands {
		slot := m.heads.slot(b)
		m.postings = append(m.postings, posting{doc: doc, next: *slot - 1})
		*slot = int32(len(m.postings)) // postings are stored 1-based in the table
	}
	return nil
}

// BandCandidates returns, in the order they were first recorded, the
// documents sharing at least one band hash with bands, except exclude.
func (m *MemBands) BandCandidates(_ context.Context, bands []uint64, exclude string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stamp++
	if m.stamp == 0 {
		clear(m.seen)
		m.stamp = 1
	}
	skip, ok := m.index[exclude]
	if !ok {
		skip = -1
	}
	var docs []int32
	for _, b := range bands {
		for p := m.heads.get(b) - 1; p >= 0; p = m.postings[p].next {
			d := m.postings[p].doc
			if d != skip && m.seen[d] != m.stamp {
				m.seen[d] = m.stamp
				docs = append(docs, d)
			}
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	slices.Sort(docs)
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = m.ids[d]
	}
	return out, nil
}

// Len returns the number of documents recorded.
func (m *MemBands) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ids)
}
