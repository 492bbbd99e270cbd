package corpus

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var fileTime = time.Date(2024, 3, 1, 12, 30, 0, 0, time.FixedZone("CET", 3600))

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// parseFile parses a fixture with fileTime as its modification time and a
// parser logging into the returned buffer.
func parseFile(t *testing.T, path string) ([]Document, *bytes.Buffer, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	p := Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}
	docs, err := p.Parse(path, data, fileTime)
	return docs, &log, err
}

// checkDoc asserts what every parsed document promises.
func checkDoc(t *testing.T, d Document) {
	t.Helper()
	if d.ID != ContentID(d.Text()) {
		t.Errorf("%s: ID %s is not ContentID(Text())", d.Path, d.ID)
	}
	if strings.TrimSpace(d.Text()) == "" || d.Title == "" || d.Source == "" {
		t.Errorf("%s: empty text, title or source: %+v", d.Path, d)
	}
	if d.Published.IsZero() || d.Published.Location() != time.UTC {
		t.Errorf("%s: Published %v is not a UTC time", d.Path, d.Published)
	}
	for _, s := range []string{d.Title, d.Body, d.Source, d.URL} {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r") {
			t.Errorf("%s: field %q is not clean UTF-8", d.Path, s)
		}
	}
	if strings.Contains(d.Title, "\n") || d.Title != strings.TrimSpace(d.Title) {
		t.Errorf("%s: title %q is not one trimmed line", d.Path, d.Title)
	}
}

func TestParseSeeds(t *testing.T) {
	for _, tc := range []struct {
		file      string
		published time.Time
		title     string
		body      string // the body's start
	}{
		{"000_e6838cd641e1a9de.txt", day(2021, 7, 8),
			"Smoke covered the provincial capital in Afghanistan on Thursday as fighting went…",
			"Smoke covered the provincial capital"},
		{"001_fc740f64b8427574.txt", day(2021, 7, 8),
			"Plumes of smoke billowed over a provincial Afghan capital today as fighting…",
			"A smoke plume rises"},
		{"002_e2eb9a51c8fe133c.txt", time.Time{},
			"Afghan forces take back provincial capital Qala-e-Naw after Taliban assault",
			"Kabul flew in hundreds of commandos"},
		{"003_e282b53e72c4bdf8.txt", day(2021, 7, 7),
			"The Taliban launched its first assault on a provincial capital in Afghanistan…",
			"Islam Times - The Taliban"},
		{"004_5941484da3f2d08f.txt", day(2021, 7, 7),
			"The Taliban launched a major assault on a provincial capital in Afghanistan…",
			"(@FahadShabbir)\n\nHerat, Afghanistan"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "examples", "corpus", tc.file)
			docs, _, err := parseFile(t, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 {
				t.Fatalf("%d documents, want 1", len(docs))
			}
			d := docs[0]
			checkDoc(t, d)
			dated := !tc.published.IsZero()
			if dated && !d.Published.Equal(tc.published) || d.DateFromFile == dated {
				t.Errorf("Published %v DateFromFile %v, want %v dated=%v", d.Published, d.DateFromFile, tc.published, dated)
			}
			if !dated && !d.Published.Equal(fileTime) {
				t.Errorf("Published %v, want the file time %v", d.Published, fileTime)
			}
			if d.Title != tc.title || d.TitleDerived != dated {
				t.Errorf("Title %q derived=%v, want %q derived=%v", d.Title, d.TitleDerived, tc.title, dated)
			}
			if !strings.HasPrefix(d.Body, tc.body) {
				t.Errorf("Body starts %.60q, want %q", d.Body, tc.body)
			}
			source := "corpus" // the folder, when the text names no outlet
			switch tc.file[:3] {
			case "003":
				source = "Islam Times"
			case "004":
				source = "UrduPoint / Pakistan Point News"
			}
			if d.Path != path || d.Source != source || d.URL != "" {
				t.Errorf("Path %q Source %q URL %q", d.Path, d.Source, d.URL)
			}
		})
	}
}

func TestParseSeedCopiesDiffer(t *testing.T) {
	// 000 and 001 are near-copies, not exact ones: their IDs differ.
	a, _, err := parseFile(t, "../examples/corpus/000_e6838cd641e1a9de.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := parseFile(t, "../examples/corpus/001_fc740f64b8427574.txt")
	if err != nil {
		t.Fatal(err)
	}
	if a[0].ID == b[0].ID {
		t.Error("000 and 001 share an ID")
	}
}

func TestParseBBC(t *testing.T) {
	for _, tc := range []struct {
		file, title, source string
	}{
		{"business/001.txt", "Ad sales boost Time Warner profit", "business"},
		{"tech/004.txt", "Digital guru floats sub-$100 PC", "tech"},
		{"politics/001.txt", "Labour plans maternity pay rise", "politics"},
		{"entertainment/129.txt", "Brits return Keane to number one", "entertainment"},
	} {
		docs, _, err := parseFile(t, filepath.Join("testdata/bbc", tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		d := docs[0]
		checkDoc(t, d)
		if d.Title != tc.title || d.TitleDerived || d.Source != tc.source || !d.DateFromFile {
			t.Errorf("%s: title %q derived %v source %q dateFromFile %v", tc.file, d.Title, d.TitleDerived, d.Source, d.DateFromFile)
		}
		if strings.HasPrefix(d.Body, tc.title) || strings.HasPrefix(d.Body, "\n") {
			t.Errorf("%s: body starts with the headline or a blank line: %.40q", tc.file, d.Body)
		}
	}
	a, _, _ := parseFile(t, "testdata/bbc/entertainment/129.txt")
	b, _, _ := parseFile(t, "testdata/bbc/entertainment/261.txt")
	if len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID {
		t.Error("byte-identical BBC copies do not share an ID")
	}
}

func TestParseBBCLatin1Read(t *testing.T) {
	// 199.txt holds one Latin-1 byte (£ as 0xA3): it is read as
	// Windows-1252, with a log line, and the pound sign survives.
	docs, log, err := parseFile(t, "testdata/bbc/sport/199.txt")
	if err != nil || len(docs) != 1 {
		t.Fatalf("got %d docs, err %v", len(docs), err)
	}
	if !strings.Contains(docs[0].Text(), "£") {
		t.Errorf("no £ in %.200q", docs[0].Text())
	}
	if !strings.Contains(log.String(), "Windows-1252") || !strings.Contains(log.String(), "199.txt") {
		t.Errorf("no log line names the file and the encoding: %s", log)
	}
}

func TestParseReutersJSONL(t *testing.T) {
	docs, log, err := parseFile(t, "testdata/reuters/reuters.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if log.Len() != 0 {
		t.Errorf("unexpected log: %s", log)
	}
	titles := []string{"BAHIA COCOA REVIEW", "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
		"NATIONAL AVERAGE PRICES FOR FARMER-OWNED RESERVE", "PAKISTAN COMPLAINS ABOUT AFGHAN AIR RAIDS",
		"SECOND PAKISTAN BOMBING KILLS 22"}
	if len(docs) != len(titles) {
		t.Fatalf("%d documents, want %d", len(docs), len(titles))
	}
	for i, d := range docs {
		checkDoc(t, d)
		if d.Title != titles[i] || d.Source != "Reuters" || d.Language != "en" || d.DateFromFile {
			t.Errorf("doc %d: %q source %q lang %q dateFromFile %v", i, d.Title, d.Source, d.Language, d.DateFromFile)
		}
	}
	if want := time.Date(1987, 2, 26, 15, 1, 1, 0, time.UTC); !docs[0].Published.Equal(want) {
		t.Errorf("Published %v, want %v", docs[0].Published, want)
	}
}
