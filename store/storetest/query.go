package storetest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// placeHits returns "id@place" for each hit.
func placeHits(hits []store.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Doc.ID+"@"+h.Place)
	}
	return out
}

func testLatest(e *env) {
	s := e.open()
	day := 24 * time.Hour
	docs := []struct {
		d       corpus.Document
		regions []corpus.DocRegion
	}{
		{doc("doc-a", "a", "b", at(1*day)), []corpus.DocRegion{mention(qalaINaw, "Qala-i-Naw", 50), mention(badghis, "Badghis", 10)}},
		{doc("doc-b", "a", "b", at(2*day)), []corpus.DocRegion{mention(herat, "Herat", 5)}},
		{doc("doc-c", "a", "b", at(3*day)), []corpus.DocRegion{mention(badghis, "Badghis", 20), mention(afghanistan, "Afghanistan", 0)}},
		{doc("doc-d", "a", "b", at(3*day)), []corpus.DocRegion{mention(qalaINaw, "Qala-e-Naw", 3)}},
		{doc("doc-e", "a", "b", at(-day)), []corpus.DocRegion{mention(kabul, "Kabul", 9)}},
		{doc("doc-f", "a", "b", at(4*day)), []corpus.DocRegion{mention(paris, "Paris", 1)}},
		{doc("doc-g", "a", "b", at(5*day)), nil},
	}
	for _, x := range docs {
		e.put(s, x.d)
		if x.regions != nil {
			e.must(s.SetAnalysis(e.ctx, x.d.ID, corpus.Analysis{Regions: x.regions}), "SetAnalysis")
		}
	}
	cases := []struct {
		name  string
		f     store.RegionFilter
		limit int
		want  []string
	}{
		{"place", store.RegionFilter{PlaceIDs: []int64{qalaINaw.PlaceID}}, 10,
			[]string{"doc-d@Qala i Naw", "doc-a@Qala i Naw"}},
		// doc-c and doc-d were published at the same time: the greater ID first.
		{"admin1", store.RegionFilter{Admin1: []string{"AF.02"}}, 10,
			[]string{"doc-d@Qala i Naw", "doc-c@Badghis", "doc-a@Badghis"}},
		{"country", store.RegionFilter{Countries: []string{"AF"}}, 10,
			[]string{"doc-d@Qala i Naw", "doc-c@Afghanistan", "doc-b@Herat", "doc-a@Badghis", "doc-e@Kabul"}},
		{"limit", store.RegionFilter{Countries: []string{"AF"}}, 2,
			[]string{"doc-d@Qala i Naw", "doc-c@Afghanistan"}},
		{"limit 1", store.RegionFilter{Admin1: []string{"AF.02"}}, 1, []string{"doc-d@Qala i Naw"}},
		{"several kinds, each document once", store.RegionFilter{PlaceIDs: []int64{herat.PlaceID, qalaINaw.PlaceID},
			Admin1: []string{"AF.02", "AF.11"}, Countries: []string{"AF"}}, 3,
			[]string{"doc-d@Qala i Naw", "doc-c@Afghanistan", "doc-b@Herat"}},
		{"two countries", store.RegionFilter{Countries: []string{"FR", "AF"}}, 2,
			[]string{"doc-f@Paris", "doc-d@Qala i Naw"}},
		{"no such place", store.RegionFilter{PlaceIDs: []int64{42}, Admin1: []string{"XX.01"}}, 10, []string{}},
		{"empty filter", store.RegionFilter{}, 10, []string{}},
		{"zero limit", store.RegionFilter{Countries: []string{"AF"}}, 0, []string{}},
	}
	for _, tc := range cases {
		hits, err := s.Latest(e.ctx, tc.f, tc.limit)
		e.must(err, "Latest "+tc.name)
		e.equal("Latest "+tc.name, placeHits(hits), tc.want)
	}

	hits, err := s.Latest(e.ctx, store.RegionFilter{Countries: []string{"FR"}}, 1)
	e.must(err, "Latest")
	if len(hits) == 1 {
		e.equal("Latest document", hits[0].Doc, stored(docs[5].d))
	}

	// A new analysis moves a document out of the places it no longer names.
	e.must(s.SetAnalysis(e.ctx, "doc-a", corpus.Analysis{}), "SetAnalysis")
	hits, err = s.Latest(e.ctx, store.RegionFilter{Admin1: []string{"AF.02"}}, 10)
	e.must(err, "Latest")
	e.equal("Latest after a new analysis", placeHits(hits), []string{"doc-d@Qala i Naw", "doc-c@Badghis"})
}

func testLatestManyPlaces(e *env) {
	s := e.open()
	// A name shared by hundreds of places makes a long filter.
	var regions []corpus.DocRegion
	filter := store.RegionFilter{}
	for i := range 600 {
		id := int64(9_000_000 + i)
		filter.PlaceIDs = append(filter.PlaceIDs, id)
		if i%150 == 0 {
			regions = append(regions, corpus.DocRegion{PlaceID: id, Name: fmt.Sprintf("Place %d", i), Level: "city",
				Country: "ZZ"})
		}
	}
	for i, r := range regions {
		d := doc(fmt.Sprintf("doc-%d", i), "t", "b", at(time.Duration(i)*time.Hour))
		e.put(s, d)
		e.must(s.SetAnalysis(e.ctx, d.ID, corpus.Analysis{Regions: []corpus.DocRegion{r}}), "SetAnalysis")
	}
	hits, err := s.Latest(e.ctx, filter, 3)
	e.must(err, "Latest")
	e.equal("Latest", placeHits(hits), []string{"doc-3@Place 450", "doc-2@Place 300", "doc-1@Place 150"})
}

// searchDocs are the documents of testSearch, oldest first.
var searchDocs = []corpus.Document{
	doc("s1", "Taliban storm Qala-i-Naw", "Fighting in Badghis province. Commandos were flown in.", at(1*time.Hour)),
	doc("s2", "Kābul airport reopens", "Flights resumed at Kabul's airport on Monday.", at(2*time.Hour)),
	doc("s3", "Markets", "Oil prices rose 3.5% in São Paulo; the Taliban were not mentioned.", at(3*time.Hour)),
	doc("s4", "Talks", "The sides were near agreement, or not, said a NEAR-term source.", at(4*time.Hour)),
	doc("s5", "Новости", "Талибы вошли в Кабул.", at(5*time.Hour)),
	doc("s6", "Μαρκέτς", "Ή αγορά έκλεισε ψηλά", at(6*time.Hour)),
}

func testSearch(e *env) {
	s := e.open()
	e.put(s, searchDocs...)
	cases := []struct {
		query string
		want  []string
	}{
		{"taliban", []string{"s3", "s1"}},
		{"TALIBAN badghis", []string{"s1"}}, // one word in the title, one in the body
		{"commandos flown", []string{"s1"}},
		{"qala-i-naw", []string{"s1"}},
		{"Qala i Naw", []string{"s1"}},
		{"kabul", []string{"s2"}}, // Kābul and Kabul's
		{"kābul", []string{"s2"}},
		{"Kabul's airport", []string{"s2"}},
		{"sao paulo", []string{"s3"}},
		{"SÃO", []string{"s3"}},
		{"3.5%", []string{"s3"}},
		{"near or not", []string{"s4"}},
		{"near-term", []string{"s4"}},
		{"талибы", []string{"s5"}},
		{"КАБУЛ", []string{"s5"}},
		{"αγορα", []string{"s6"}},
		{"zebra", []string{}},
		{"taliban zebra", []string{}},
		// Everything the user types is words, never query syntax.
		{`"`, []string{}},
		{`""`, []string{}},
		{`*`, []string{}},
		{`taliban*`, []string{"s3", "s1"}},
		{`"taliban`, []string{"s3", "s1"}},
		{`^taliban`, []string{"s3", "s1"}},
		{`-badghis`, []string{"s1"}},
		{`+badghis`, []string{"s1"}},
		{`(`, []string{}},
		{`NEAR(`, []string{"s4"}},
		{`NEAR(taliban badghis)`, []string{}},
		{`NEAR(taliban badghis, 5)`, []string{}},
		{`taliban OR kabul`, []string{}},
		{`taliban NOT badghis`, []string{}},
		{`taliban AND badghis`, []string{}},
		{`title:taliban`, []string{}},
		{`{title}: taliban`, []string{}},
		{`body : badghis`, []string{}},
		{`taliban & badghis | kabul`, []string{}},
		{`!taliban`, []string{"s3", "s1"}},
		{`taliban:*`, []string{"s3", "s1"}},
		{`'taliban'`, []string{"s3", "s1"}},
		{`\`, []string{}},
		{`%_`, []string{}},
		{"", []string{}},
		{"   \t\n", []string{}},
		{"!!! ??? ...", []string{}},
		{"🔥", []string{}},
		{"\x00taliban", []string{"s3", "s1"}},
	}
	for _, tc := range cases {
		hits, err := s.Search(e.ctx, tc.query, 10)
		if err != nil {
			e.t.Errorf("Search(%q): %v", tc.query, err)
			continue
		}
		e.equal(fmt.Sprintf("Search(%q)", tc.query), ids(hits), tc.want)
		for _, h := range hits {
			if h.Place != "" {
				e.t.Errorf("Search(%q): Place = %q, want none", tc.query, h.Place)
			}
		}
	}
	hits, err := s.Search(e.ctx, "taliban", 1)
	e.must(err, "Search")
	e.equal("Search with limit 1", ids(hits), []string{"s3"})
	if len(hits) == 1 {
		e.equal("Search hit", hits[0].Doc, stored(searchDocs[2]))
	}
	hits, err = s.Search(e.ctx, "taliban", 0)
	e.must(err, "Search")
	e.equal("Search with limit 0", ids(hits), []string{})
}

// testSearchSeeds checks Search on the sample articles against a plain
// reading of "all the words": the folded words of the title and body
// include every folded word of the query.
func testSearchSeeds(e *env) {
	s := e.open()
	docs := e.seeds()
	e.put(s, docs...)
	words := map[string]map[string]bool{}
	for _, d := range docs {
		words[d.ID] = map[string]bool{}
		for _, w := range strings.Fields(corpus.Fold(d.Title + " " + d.Body)) {
			words[d.ID][w] = true
		}
	}
	byNewest := slices.Clone(docs)
	slices.SortFunc(byNewest, func(a, b corpus.Document) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	for _, q := range []string{
		"Qala-i-Naw", "Qala-e-Naw", "qala i naw", "Qala-I Naw", "Badghis", "badghis commandos", "all-out assault",
		"Taliban's", "U.S. troops", "\"90 percent complete\"", "Hasamuddin Shams", "Herat (Afghanistan)",
		"city’s prison", "@FahadShabbir", "7th Jul, 2021", "NEAR(taliban assault)", "assault OR offensive",
		"pentagon*", "Afghan forces", "smoke plume", "the", "Kabul", "zebra",
	} {
		want := []string{}
		qw := strings.Fields(corpus.Fold(q))
		for _, d := range byNewest {
			all := len(qw) > 0
			for _, w := range qw {
				all = all && words[d.ID][w]
			}
			if all {
				want = append(want, d.ID)
			}
		}
		hits, err := s.Search(e.ctx, q, 10)
		if err != nil {
			e.t.Errorf("Search(%q): %v", q, err)
			continue
		}
		e.equal(fmt.Sprintf("Search(%q)", q), ids(hits), want)
	}
}

// testSearchMany searches words held by many documents, published out of
// the order they were stored in.
func testSearchMany(e *env) {
	s := e.open()
	const n = 700
	var want, wantRare []string
	for i := range n {
		// Published times are a permutation of the minutes 0..n-1.
		minute := (i * 263) % n
		body := "An ordinary report"
		if i%7 == 0 {
			body += " with a rare word"
		}
		id := fmt.Sprintf("m%03d", minute)
		e.put(s, doc(id, "Market report", body, at(time.Duration(minute)*time.Minute)))
	}
	for minute := n - 1; minute >= 0; minute-- {
		want = append(want, fmt.Sprintf("m%03d", minute))
	}
	// The rare word is in the documents stored at i%7 == 0.
	for i := range n {
		if i%7 == 0 {
			wantRare = append(wantRare, fmt.Sprintf("m%03d", (i*263)%n))
		}
	}
	slices.Sort(wantRare)
	slices.Reverse(wantRare)
	for _, tc := range []struct {
		query string
		limit int
		want  []string
	}{
		{"market report", 10, want[:10]},
		{"ordinary", 3, want[:3]},
		{"report", n + 10, want},
		{"rare word", 5, wantRare[:5]},
		{"rare", 1000, wantRare},
		{"market zebra", 10, []string{}},
	} {
		hits, err := s.Search(e.ctx, tc.query, tc.limit)
		e.must(err, "Search")
		e.equal(fmt.Sprintf("Search(%q, %d)", tc.query, tc.limit), ids(hits), tc.want)
	}
}
