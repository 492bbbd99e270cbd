package main

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// model is an order-2 word model of a corpus: for each pair of words, the
// words that followed it. Texts drawn from it read like the corpus, word
// by word (its vocabulary, place names, numbers, stock phrases), while
// their longer runs of words are new, so they are not copies of the
// articles the model was made from.
type model struct {
	words []string
	index map[string]uint32
	// next maps a pair (w1<<32 | w2) to its followers, follow[lo:hi].
	next   map[uint64][2]uint32
	follow []uint32
	// starts are the pairs that begin a sentence.
	starts []uint64
}

// sentenceEnd is the marker word that ends every sentence of the model.
const sentenceEnd = "\x00"

// newModel builds the model of the sentences of texts.
func newModel(texts []string) *model {
	m := &model{index: map[string]uint32{}}
	m.id(sentenceEnd)
	type pair struct {
		key  uint64
		next uint32
	}
	var pairs []pair
	for _, t := range texts {
		for _, s := range splitSentences(t) {
			ws := strings.Fields(s)
			if len(ws) < 4 {
				continue
			}
			ids := make([]uint32, 0, len(ws)+1)
			for _, w := range ws {
				ids = append(ids, m.id(w))
			}
			ids = append(ids, 0)
			m.starts = append(m.starts, uint64(ids[0])<<32|uint64(ids[1]))
			for i := 0; i+2 < len(ids); i++ {
				pairs = append(pairs, pair{uint64(ids[i])<<32 | uint64(ids[i+1]), ids[i+2]})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return int(a.next) - int(b.next)
	})
	m.next = make(map[uint64][2]uint32, len(pairs)/2)
	m.follow = make([]uint32, len(pairs))
	for i, p := range pairs {
		m.follow[i] = p.next
		r := m.next[p.key]
		if r[1] == 0 {
			r[0] = uint32(i)
		}
		r[1] = uint32(i + 1)
		m.next[p.key] = r
	}
	return m
}

func (m *model) id(w string) uint32 {
	if id, ok := m.index[w]; ok {
		return id
	}
	id := uint32(len(m.words))
	m.words = append(m.words, w)
	m.index[w] = id
	return id
}

// sentence appends one sentence drawn from the model to b, and returns
// the number of words written. It stops at maxWords words when the model
// wanders on.
func (m *model) sentence(r *rand.Rand, b *strings.Builder, maxWords int) int {
	key := m.starts[r.IntN(len(m.starts))]
	w1, w2 := uint32(key>>32), uint32(key)
	b.WriteString(m.words[w1])
	b.WriteByte(' ')
	b.WriteString(m.words[w2])
	n := 2
	for n < maxWords {
		f := m.next[uint64(w1)<<32|uint64(w2)]
		if f[1] == 0 {
			break
		}
		w := m.follow[int(f[0])+r.IntN(int(f[1]-f[0]))]
		if w == 0 {
			break
		}
		b.WriteByte(' ')
		b.WriteString(m.words[w])
		w1, w2 = w2, w
		n++
	}
	return n
}

// splitSentences cuts text after each '.', '?' or '!' that ends a word.
func splitSentences(text string) []string {
	var out []string
	ws := strings.Fields(text)
	start := 0
	for i, w := range ws {
		if c := w[len(w)-1]; c == '.' || c == '?' || c == '!' {
			out = append(out, strings.Join(ws[start:i+1], " "))
			start = i + 1
		}
	}
	if start < len(ws) {
		out = append(out, strings.Join(ws[start:], " "))
	}
	return out
}
