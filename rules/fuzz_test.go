package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds rules files to the loader: it must never panic, and it
// returns either a valid Config or an ErrorList whose every entry points
// into the file.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/conf.*.yml")
	files = append(files, "../rules.yaml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("rules:\n  - &r {name: a, keywords: [b]}\n  - <<: *r\n    name: c\n"))
	f.Add([]byte("x-k: &k [a, b]\nrules:\n  - {name: a, keywords: {any: *k, none: *k}}\n"))
	gaz := testGazetteer()
	f.Fuzz(func(t *testing.T, data []byte) {
		l := Loader{Gazetteer: gaz, LookupEnv: func(k string) (string, bool) { return "C1", k == "SET" }}
		cfg, err := l.Parse("f.yml", data)
		if err != nil {
			if cfg != nil {
				t.Fatal("a Config and an error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v; want an ErrorList", err, err)
			}
			lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2
			for _, e := range list {
				if e.File != "f.yml" || e.Line < 1 || e.Line > lines || e.Col < 0 || e.Msg == "" {
					t.Fatalf("bad error %+v in a file of %d lines", e, lines)
				}
			}
			return
		}
		if err := Validate(cfg, gaz); err != nil {
			t.Fatalf("Parse accepted a Config that Validate rejects: %v", err)
		}
		m, err := Compile(cfg, gaz)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		m.Match("The Taliban assault on Qala-i-Naw in Badghis, Afghanistan.")
	})
}

// FuzzMatch feeds texts to the matcher: it must never panic or stall, and
// every tag and keyword hit must point at the text.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{
		"The Taliban assault on Qala-i-Naw, capital of Badghis.",
		"Karbalāʼ ʼ aʼ ʿAli Qal‘ah-ye Now",
		"HERAT, July 7 - an all-out assault. Kābul. New York. U.S.",
		"Qala-i-e-ye-Naw i e ye",
		"",
	} {
		f.Add(s)
	}
	m := compileYAML(f, regionRules+keywordRules[len("\nrules:\n"):])
	f.Fuzz(func(t *testing.T, text string) {
		res := m.Match(text)
		for _, tag := range res.Tags {
			if tag.Start < 0 || tag.End > len(text) || tag.Start >= tag.End || tag.Text != text[tag.Start:tag.End] {
				t.Fatalf("tag %+v out of %q", tag, text)
			}
		}
		for _, rm := range res.Matches {
			for _, k := range rm.Keywords {
				if k.Start < 0 || k.End > len(text) || k.Start >= k.End {
					t.Fatalf("keyword hit %+v out of %q", k, text)
				}
			}
		}
	})
}
