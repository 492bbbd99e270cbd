package corpus

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParsePlain(t *testing.T) {
	for _, tc := range []struct {
		name, file, in string
		title          string
		derived        bool
		published      time.Time // zero: the file's time
		body           string
	}{
		{"seed form", "a.txt", " date 2021-07-08 Smoke rose. More text.",
			"Smoke rose", true, day(2021, 7, 8), "Smoke rose. More text."},
		{"no leading space", "a.txt", "date 2021-07-08 Smoke rose.",
			"Smoke rose", true, day(2021, 7, 8), "Smoke rose."},
		{"extra white space and colon", "a.txt", "\n  Date:   2021-7-8 \t Smoke rose.",
			"Smoke rose", true, day(2021, 7, 8), "Smoke rose."},
		{"date on its own line then headline", "a.txt", " date 2021-07-08\nTaliban enter city\n\nSmoke rose.",
			"Taliban enter city", false, day(2021, 7, 8), "Smoke rose."},
		{"date on the line keeps a short lead as body", "a.txt", " date 2021-07-07 (@handle)\n\nHerat, July 7: The Taliban launched a major assault.",
			"The Taliban launched a major assault", true, day(2021, 7, 7), "(@handle)\n\nHerat, July 7: The Taliban launched a major assault."},
		{"US date", "a.txt", " date 07/31/2021 Smoke rose.",
			"Smoke rose", true, day(2021, 7, 31), "Smoke rose."},
		{"impossible date", "a.txt", " date 2021-13-45 Smoke rose.",
			"Smoke rose", true, time.Time{}, "Smoke rose."},
		{"headline first", "a.txt", "Afghan forces retake city\nKabul flew in commandos.",
			"Afghan forces retake city", false, time.Time{}, "Kabul flew in commandos."},
		{"headline with question mark", "a.txt", "Will the city fall?\n\nFighting went on.",
			"Will the city fall?", false, time.Time{}, "Fighting went on."},
		{"first line ends a sentence", "a.txt", "Fighting went on in the city.\nCommandos arrived.",
			"Fighting went on in the city", true, time.Time{}, "Fighting went on in the city.\nCommandos arrived."},
		{"first line leads in", "a.txt", "Officials said:\nThe city is calm.",
			"The city is calm", true, time.Time{}, "Officials said:\nThe city is calm."},
		{"single line", "a.txt", "Taliban enter Qala-i-Naw",
			"Taliban enter Qala-i-Naw", true, time.Time{}, "Taliban enter Qala-i-Naw"},
		{"long first line is a paragraph", "a.txt", strings.Repeat("word ", 30) + "\nmore",
			"word word word word word word word word word word word word…", true, time.Time{}, strings.TrimSpace(strings.Repeat("word ", 30)) + "\nmore"},
		{"CRLF and blank lines", "a.txt", "Headline here\r\n\r\n\r\n\r\nFirst para.  \r\nSecond line.\r\n\r\n\r\nThird para.\r\n",
			"Headline here", false, time.Time{}, "First para.\nSecond line.\n\nThird para."},
		{"markdown heading", "a.md", "# Taliban enter Qala-i-Naw #\n\nSmoke rose over the city.",
			"Taliban enter Qala-i-Naw", false, time.Time{}, "Smoke rose over the city."},
		{"markdown heading after date", "a.md", "date 2021-07-08\n## Commandos arrive\nMore troops.",
			"Commandos arrive", false, day(2021, 7, 8), "More troops."},
		{"hash tag is no heading", "a.md", "#Badghis fighting, day two.\nMore.",
			"#Badghis fighting, day two", true, time.Time{}, "#Badghis fighting, day two.\nMore."},
		{"abbreviations do not end the title", "a.txt", " date 2021-07-08 The U.S. envoy met Gen. Miller. Talks went on.",
			"The U.S. envoy met Gen. Miller", true, day(2021, 7, 8), "The U.S. envoy met Gen. Miller. Talks went on."},
		{"BOM", "a.txt", "\ufeffHeadline\nBody text.",
			"Headline", false, time.Time{}, "Body text."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Parse(tc.file, []byte(tc.in), fileTime)
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			checkDoc(t, d)
			if d.Title != tc.title || d.TitleDerived != tc.derived {
				t.Errorf("Title %q derived %v, want %q derived %v", d.Title, d.TitleDerived, tc.title, tc.derived)
			}
			if d.Body != tc.body {
				t.Errorf("Body %q, want %q", d.Body, tc.body)
			}
			want, fromFile := tc.published, tc.published.IsZero()
			if fromFile {
				want = fileTime
			}
			if !d.Published.Equal(want) || d.DateFromFile != fromFile {
				t.Errorf("Published %v fromFile %v, want %v fromFile %v", d.Published, d.DateFromFile, want, fromFile)
			}
			if d.Source != "file" {
				t.Errorf("Source %q, want file", d.Source)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	docs, log, err := parseFile(t, "testdata/json/article.json")
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	checkDoc(t, d)
	if d.Title != "Taliban launch first assault on Afghan provincial capital" || d.Source != "Example Wire" ||
		d.URL != "https://wire.example.com/2021/07/07/qala-i-naw" ||
		!d.Published.Equal(time.Date(2021, 7, 7, 8, 15, 0, 0, time.UTC)) || d.DateFromFile ||
		!strings.HasPrefix(d.Body, "Fierce fighting erupted on Wednesday") {
		t.Errorf("article.json: %+v", d)
	}
	if log.Len() != 0 {
		t.Errorf("unexpected log: %s", log)
	}

	docs, log, err = parseFile(t, "testdata/json/articles.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title, source, lang string
		published           time.Time
	}{
		{"Commandos flown into Qala-i-Naw", "json", "en", day(2021, 7, 8)},
		{"Prisoners freed as Taliban open city jail", "Regional Monitor", "", time.Date(2021, 7, 7, 13, 30, 0, 0, time.UTC)},
		{"Afghan officials said about 75,000 people have fled their homes, either to…", "json", "", day(2021, 7, 8)},
	}
	if len(docs) != len(want) {
		t.Fatalf("articles.json: %d documents, want %d", len(docs), len(want))
	}
	for i, w := range want {
		d := docs[i]
		checkDoc(t, d)
		if d.Title != w.title || d.Source != w.source || d.Language != w.lang || !d.Published.Equal(w.published) {
			t.Errorf("articles.json[%d]: %q %q %q %v", i, d.Title, d.Source, d.Language, d.Published)
		}
	}
	for _, at := range []string{"articles.json[1]", "articles.json[2]"} {
		if !strings.Contains(log.String(), at) {
			t.Errorf("log does not name %s:\n%s", at, log)
		}
	}
}

func TestParseJSONL(t *testing.T) {
	docs, log, err := parseFile(t, "testdata/json/mixed.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{"Fighting spreads to Herat", "Residents flee Qala-e-Naw", "Taliban seize police headquarters"}
	if len(docs) != len(titles) {
		t.Fatalf("%d documents, want %d", len(docs), len(titles))
	}
	for i, d := range docs {
		checkDoc(t, d)
		if d.Title != titles[i] {
			t.Errorf("doc %d: %q, want %q", i, d.Title, titles[i])
		}
	}
	if d := docs[1]; !d.Published.Equal(time.Unix(1625745600, 0)) || d.Language != "en" || d.Body != "Residents had either fled the city or stayed indoors." {
		t.Errorf("unix time, lang and text fields: %+v", d)
	}
	if d := docs[2]; !d.DateFromFile || !d.Published.Equal(fileTime) {
		t.Errorf("unreadable date: Published %v DateFromFile %v, want the file's time", d.Published, d.DateFromFile)
	}
	for _, at := range []string{"mixed.jsonl:2", "mixed.jsonl:5", "mixed.jsonl:6"} {
		if !strings.Contains(log.String(), at) {
			t.Errorf("log does not name %s:\n%s", at, log)
		}
	}
	if strings.Contains(log.String(), "mixed.jsonl:3") {
		t.Errorf("blank line logged:\n%s", log)
	}
}

func TestParseJSONHTMLBody(t *testing.T) {
	for _, tc := range []struct{ in, body string }{
		{`{"title":"t","content":"<p>One &amp; two</p><p>Three<br>four</p>"}`, "One & two\n\nThree\nfour"},
		{`{"title":"t","body":"a < b and <not a tag>"}`, "a < b and <not a tag>"},
	} {
		docs, err := Parse("x.json", []byte(tc.in), fileTime)
		if err != nil {
			t.Fatal(err)
		}
		if docs[0].Body != tc.body {
			t.Errorf("%s: body %q, want %q", tc.in, docs[0].Body, tc.body)
		}
	}
}

func TestParseSkips(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		data       string // used when path is not a fixture
		maxSize    int64
		reason     string
	}{
		{"empty", "testdata/bad/empty.txt", "", 0, ReasonEmpty},
		{"blank", "testdata/bad/blank.md", "", 0, ReasonEmpty},
		{"binary with NUL", "testdata/bad/image.txt", "", 0, ReasonBinary},
		{"control characters", "testdata/bad/controls.txt", "", 0, ReasonBinary},
		{"date and nothing else", "testdata/bad/nobody.txt", "", 0, ReasonNoText},
		{"malformed json", "testdata/bad/broken.json", "", 0, ReasonMalformed},
		{"too large", "big.txt", "Headline\nBody text that is too long.", 10, ReasonTooLarge},
		{"unsupported", "page.html", "<p>text</p>", 0, ReasonUnsupported},
		{"jsonl with no good line", "x.jsonl", "{\n[1]\n", 0, ReasonMalformed},
		{"json array of nothing", "x.json", "[]", 0, ReasonNoText},
		{"json scalar", "x.json", "42", 0, ReasonMalformed},
		{"feed without items", "x.rss", `<rss><channel><title>t</title></channel></rss>`, 0, ReasonNoText},
		{"not a feed", "testdata/feeds/notfeed.xml", "", 0, ReasonMalformed},
		{"truncated feed", "testdata/feeds/truncated.xml", "", 0, ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			if strings.HasPrefix(tc.path, "testdata/") {
				var err error
				if data, err = os.ReadFile(tc.path); err != nil {
					t.Fatal(err)
				}
			}
			p := Parser{MaxSize: tc.maxSize, Logger: discard}
			docs, err := p.Parse(tc.path, data, fileTime)
			var se *SkipError
			if !errors.As(err, &se) || se.Reason != tc.reason || se.Path != tc.path || docs != nil {
				t.Fatalf("got %d docs, err %v; want a SkipError %q for %s", len(docs), err, tc.reason, tc.path)
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]Format{
		"a.txt": FormatText, "A.TXT": FormatText, "x/y.md": FormatMarkdown, "a.json": FormatJSON,
		"a.jsonl": FormatJSONL, "a.ndjson": FormatJSONL, "a.xml": FormatFeed, "a.rss": FormatFeed,
		"a.atom": FormatFeed, "a.go": "", "a": "", "a.txt~": "", ".txt": FormatText,
	} {
		got, ok := FormatOf(path)
		if got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}
