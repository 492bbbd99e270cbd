package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"
)

// addFiles adds the files matching the patterns to the fuzz seed corpus.
func addFiles(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
}

// fuzzParse parses data as a file named name and checks what Parse
// promises for any input: documents that are complete and clean, or a
// *SkipError and none.
func fuzzParse(t *testing.T, name string, data []byte) {
	modTime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	p := Parser{Logger: discard}
	docs, err := p.Parse(name, data, modTime)
	if err != nil {
		var se *SkipError
		if !errors.As(err, &se) || se.Path != name || se.Reason == "" {
			t.Fatalf("error %v is not a *SkipError for %s", err, name)
		}
		if docs != nil {
			t.Fatalf("%d documents with an error", len(docs))
		}
		return
	}
	if len(docs) == 0 {
		t.Fatal("no documents and no error")
	}
	for _, d := range docs {
		checkDoc(t, d)
		if d.Path != name {
			t.Fatalf("Path %q, want %q", d.Path, name)
		}
		if d.DateFromFile && !d.Published.Equal(modTime) {
			t.Fatalf("DateFromFile with Published %v", d.Published)
		}
	}
}

func FuzzParseText(f *testing.F) {
	addFiles(f, "../examples/corpus/*.txt", "testdata/bbc/*/*.txt", "testdata/bad/*.txt")
	f.Add([]byte(" date 2021-07-08\n# Heading\n\nBody."))
	f.Add([]byte("date 2021-07-08"))
	f.Add([]byte("\xff\xfe \x00d\x00a\x00t\x00e\x00"))       // UTF-16 with a mark
	f.Add([]byte(" date 07/31/2031 caf\xe9 \x93quoted\x94")) // Windows-1252, a future date
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "fuzz.txt", data)
		fuzzParse(t, "fuzz.md", data)
	})
}

func FuzzParseJSON(f *testing.F) {
	addFiles(f, "testdata/json/*.json", "testdata/bad/*.json")
	f.Add([]byte(`[{"title":"t","published":1e300},{"body":"b","published":-1},null,{"source":{"name":5}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "fuzz.json", data)
	})
}

func FuzzParseJSONL(f *testing.F) {
	addFiles(f, "testdata/reuters/*.jsonl", "testdata/json/*.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "fuzz.jsonl", data)
	})
}

func FuzzParseFeed(f *testing.F) {
	addFiles(f, "testdata/feeds/*")
	f.Add([]byte(`<feed><entry><content type="xhtml"><div><p>a &lt; b</p></div></content><link href="%zz"/></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "fuzz.xml", data)
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2021-07-08T09:41:13Z", "Thu, 08 Jul 2021 09:41:13 GMT", "8 July 2021", "Thu, 8 Jul 21 05:41 EDT", "2021-07-08 09:41:13 -0400 (EDT)", "07/31/2021", "July 31, 2021 09:41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if err == nil && tm.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v, not UTC", s, tm)
		}
		if err != nil && !errors.Is(err, ErrDate) {
			t.Fatalf("ParseTime(%q): error %v is not ErrDate", s, err)
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	addFiles(f, "testdata/feeds/rss2.xml")
	f.Add([]byte("<p>a<br>b</p><script>x</script><!-- c --><![CDATA[d]]>&amp;&nbsp;"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := string(data)
		out := htmlText(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("htmlText(%q) = %q, not UTF-8", s, out)
		}
		if len(out) > 0 && (out[0] == ' ' || out[0] == '\n' || out[len(out)-1] == ' ' || out[len(out)-1] == '\n') {
			t.Fatalf("htmlText(%q) = %q, not trimmed", s, out)
		}
	})
}
