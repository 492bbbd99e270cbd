package bot

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/english"
)

// SkipCounter is a Source that says which files its last Scan passed over
// (empty, binary, malformed...: corpus.SkipError reasons) and how many it
// could not read at all. The scanner adds them to its report.
type SkipCounter interface {
	LastStats() corpus.Stats
}

// LastStats returns the counts of the directory's last Scan.
func (d *DirSource) LastStats() corpus.Stats { return d.last }

// addSkips adds the skips of src's last scan, if it counts them, to rep.
func (rep *ScanReport) addSkips(src Source) {
	sc, ok := src.(SkipCounter)
	if !ok {
		return
	}
	st := sc.LastStats()
	for _, s := range st.Skips {
		if rep.Skipped == nil {
			rep.Skipped = map[string]int{}
		}
		rep.Skipped[s.Reason]++
	}
	rep.Unreadable += st.Failed
}

// SkippedTotal is the number of files the pass skipped, all reasons.
func (rep ScanReport) SkippedTotal() int {
	n := 0
	for _, c := range rep.Skipped {
		n += c
	}
	return n
}

// SkipSummary says how many files the pass skipped and why, most frequent
// reason first: "3 files skipped (empty file: 2, binary content: 1)"; ""
// when none was skipped or unreadable. A reason is a label (of metrics
// too), so the count follows it rather than making it plural.
func (rep ScanReport) SkipSummary() string {
	var parts []string
	if n := rep.SkippedTotal(); n > 0 {
		reasons := slices.SortedFunc(maps.Keys(rep.Skipped), func(a, b string) int {
			if c := rep.Skipped[b] - rep.Skipped[a]; c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		var by []string
		for _, r := range reasons {
			by = append(by, r+": "+strconv.Itoa(rep.Skipped[r]))
		}
		parts = append(parts, english.Plural(n, "file")+" skipped ("+strings.Join(by, ", ")+")")
	}
	if rep.Unreadable > 0 {
		parts = append(parts, english.Plural(rep.Unreadable, "file")+" unreadable (tried again next scan)")
	}
	return strings.Join(parts, "; ")
}
