package stories_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/internal/synth"
	"github.com/wirewatch/wirewatch/store"
)

// ruleEval is the comparison of one rule's stories with the truth.
type ruleEval struct {
	rule                 string
	docs                 int // documents that matched the rule
	trueStories, stories int // among them
	// pairs: same true story (truePairs), same predicted (predPairs), both (tp).
	truePairs, predPairs, tp int64
	bcP, bcR                 float64
	// multi: true stories with at least two matching documents; split: of
	// those, the ones spread over several predicted stories, by cause.
	multi, split, splitKey, splitWindow int
	// partial: true stories with some documents matching the rule and some not.
	partial, partialDocs int
	// missed pairs by cause: different group key, same key.
	missKey, missSameKey int64
	// merged: predicted stories holding several true stories; mergedDocs
	// their documents; biggest, the most true stories in one.
	merged, mergedDocs, biggest int
	biggestKey                  string
	biggestSpan                 time.Duration
	// spans of predicted stories with at least two documents.
	spans []time.Duration
	// late copies and rewrites that matched, by kind: [joined the
	// original's story, in another story, original did not match].
	late map[synth.Kind][3]int
	// keyNone: documents grouped under "none" (no place named).
	keyNone int
	// falseFar: pairs of one predicted story from different true stories
	// published more than the window apart (joined only by chaining).
	falseFar int64
	// predClose, tpClose: pairs of one predicted story published at most
	// the window apart, and those of one true story among them.
	predClose, tpClose int64
	// missNested: missed pairs whose keys are a country and an admin1
	// region of it ("AF" and "AF.02").
	missNested int64
	// keyLevels counts documents by the level of their story's key.
	keyLevels map[string]int
	// byKinds: pairs of one true story by the kinds of their documents
	// ("original+copy"): [together in one predicted story, all].
	byKinds map[string][2]int
}

func (e ruleEval) precision() float64 { return ratio(e.tp, e.predPairs) }
func (e ruleEval) recall() float64    { return ratio(e.tp, e.truePairs) }
func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func pairs(n int) int64 { return int64(n) * int64(n-1) / 2 }

// evaluate compares the stories of rule with the truth, over the documents
// that matched the rule.
func evaluate(t *testing.T, st store.Store, rule string, window time.Duration, items []item, outs map[string]bot.Outcome) ruleEval {
	t.Helper()
	ctx := context.Background()
	e := ruleEval{rule: rule}
	stories := map[int64]store.Story{}
	storyOf := func(id int64) store.Story {
		s, ok := stories[id]
		if !ok {
			var err error
			if s, err = st.Story(ctx, id); err != nil {
				t.Fatal(err)
			}
			stories[id] = s
		}
		return s
	}
	pred := map[string]int64{}
	byTruth := map[int][]item{}
	byPred := map[int64][]item{}
	cell := map[[2]int64]int{}
	totalByTruth := map[int]int{}
	for _, it := range items {
		totalByTruth[it.truth]++
		o := outs[it.doc.ID]
		sid, ok := o.Stories[rule]
		if !ok {
			continue
		}
		if sid == 0 {
			t.Errorf("%s: document %s matched but has story 0", rule, it.doc.ID)
			continue
		}
		pred[it.doc.ID] = sid
		byTruth[it.truth] = append(byTruth[it.truth], it)
		byPred[sid] = append(byPred[sid], it)
		cell[[2]int64{int64(it.truth), sid}]++
		s := storyOf(sid)
		// Invariant: a document that is not a copy joins a story of its
		// own group key; one naming no place ("none") is a story of its own.
		if o.CopyOf == "" {
			for _, m := range o.Analysis.Matches {
				want := m.GroupKey
				if want == "none" {
					want = "doc:" + it.doc.ID
				}
				if m.Rule == rule && want != s.Key {
					t.Errorf("%s: document %s (key %s) in story %d of key %s", rule, it.doc.ID, m.GroupKey, sid, s.Key)
				}
			}
		}
		if s.Key == "none" {
			e.keyNone++
		}
		if e.keyLevels == nil {
			e.keyLevels = map[string]int{}
		}
		e.keyLevels[keyLevel(rule, s.Key)]++
	}
	e.docs, e.trueStories, e.stories = len(pred), len(byTruth), len(byPred)
	for _, m := range byTruth {
		e.truePairs += pairs(len(m))
	}
	for _, m := range byPred {
		e.predPairs += pairs(len(m))
	}
	for _, n := range cell {
		e.tp += pairs(n)
	}
	// B-cubed over the matched documents.
	for _, it := range items {
		sid, ok := pred[it.doc.ID]
		if !ok {
			continue
		}
		c := float64(cell[[2]int64{int64(it.truth), sid}])
		e.bcP += c / float64(len(byPred[sid]))
		e.bcR += c / float64(len(byTruth[it.truth]))
	}
	if e.docs > 0 {
		e.bcP /= float64(e.docs)
		e.bcR /= float64(e.docs)
	}
	// Splits.
	for truth, m := range byTruth {
		if len(m) < totalByTruth[truth] {
			e.partial++
			e.partialDocs += totalByTruth[truth] - len(m)
		}
		if len(m) < 2 {
			continue
		}
		e.multi++
		keys := map[string][]int64{}
		for _, it := range m {
			sid := pred[it.doc.ID]
			k := storyOf(sid).Key
			if !slices.Contains(keys[k], sid) {
				keys[k] = append(keys[k], sid)
			}
		}
		n := 0
		window := false
		for _, ids := range keys {
			n += len(ids)
			window = window || len(ids) > 1
		}
		if n > 1 {
			e.split++
			if len(keys) > 1 {
				e.splitKey++
			}
			if window {
				e.splitWindow++
			}
		}
		for i := range m {
			for j := i + 1; j < len(m); j++ {
				a, b := storyOf(pred[m[i].doc.ID]), storyOf(pred[m[j].doc.ID])
				k := kindPair(m[i].kind, m[j].kind)
				if e.byKinds == nil {
					e.byKinds = map[string][2]int{}
				}
				c := e.byKinds[k]
				c[1]++
				if a.ID == b.ID {
					c[0]++
				}
				e.byKinds[k] = c
				switch {
				case a.ID == b.ID:
				case a.Key != b.Key:
					e.missKey++
					if nested(a.Key, b.Key) || nested(b.Key, a.Key) {
						e.missNested++
					}
				default:
					e.missSameKey++
				}
			}
		}
	}
	// Late copies and rewrites.
	for _, it := range items {
		if !it.late {
			continue
		}
		sid, ok := pred[it.doc.ID]
		if !ok {
			continue
		}
		if e.late == nil {
			e.late = map[synth.Kind][3]int{}
		}
		c := e.late[it.kind]
		osid, ok := pred[it.orig]
		switch {
		case !ok:
			c[2]++
		case osid == sid:
			c[0]++
		default:
			c[1]++
		}
		e.late[it.kind] = c
	}
	// Merges and spans.
	for sid, m := range byPred {
		truths := map[int]bool{}
		for i, it := range m {
			truths[it.truth] = true
			for _, o := range m[i+1:] {
				d := it.doc.Published.Sub(o.doc.Published)
				far := d > window || d < -window
				if !far {
					e.predClose++
					if o.truth == it.truth {
						e.tpClose++
					}
				}
				if o.truth != it.truth && far {
					e.falseFar++
				}
			}
		}
		s := storyOf(sid)
		if len(m) > 1 {
			e.spans = append(e.spans, s.Last.Sub(s.First))
		}
		if len(truths) > 1 {
			e.merged++
			e.mergedDocs += len(m)
		}
		if len(truths) > e.biggest {
			e.biggest, e.biggestKey, e.biggestSpan = len(truths), s.Key+" ("+s.KeyName+")", s.Last.Sub(s.First)
		}
	}
	slices.Sort(e.spans)
	return e
}

// nested reports whether key a is a country and b an admin1 region of it.
func nested(a, b string) bool { return len(a) == 2 && strings.HasPrefix(b, a+".") }

// keyLevel names what a story key is: "admin1" ("AF.02"), "country"
// ("AF"), "place" (a GeoNames ID) or "none".
func keyLevel(rule, key string) string {
	switch {
	case key == "none":
		return "none"
	case strings.Contains(key, "."):
		return "admin1"
	case len(key) == 2:
		return "country"
	}
	return "place"
}

// kindPair names a pair of kinds in a fixed order: "original+copy".
func kindPair(a, b synth.Kind) string {
	rank := map[synth.Kind]int{synth.Original: 0, synth.Copy: 1, synth.Rewrite: 2}
	if rank[a] > rank[b] {
		a, b = b, a
	}
	return string(a) + "+" + string(b)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(q*float64(len(d))))]
}

func hoursOf(d time.Duration) string { return fmt.Sprintf("%.0fh", d.Hours()) }
