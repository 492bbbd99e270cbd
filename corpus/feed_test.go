package corpus

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
)

// wantDoc is what a feed test checks of a document; empty fields are not
// checked, except that a zero Published means the date came from the file.
type wantDoc struct {
	title, url, source, lang string
	published                time.Time
	derived                  bool
	body                     string // the body's start
	bodyHas, bodyHasNot      []string
}

func checkDocs(t *testing.T, docs []Document, want []wantDoc) {
	t.Helper()
	if len(docs) != len(want) {
		for _, d := range docs {
			t.Logf("got %q", d.Title)
		}
		t.Fatalf("%d documents, want %d", len(docs), len(want))
	}
	for i, w := range want {
		d := docs[i]
		checkDoc(t, d)
		if d.Title != w.title || d.TitleDerived != w.derived {
			t.Errorf("doc %d: title %q derived %v, want %q derived %v", i, d.Title, d.TitleDerived, w.title, w.derived)
		}
		if d.URL != w.url || d.Source != w.source || d.Language != w.lang {
			t.Errorf("doc %d: url %q source %q lang %q, want %q %q %q", i, d.URL, d.Source, d.Language, w.url, w.source, w.lang)
		}
		if w.published.IsZero() != d.DateFromFile || !w.published.IsZero() && !d.Published.Equal(w.published) {
			t.Errorf("doc %d: published %v fromFile %v, want %v", i, d.Published, d.DateFromFile, w.published)
		}
		if !strings.HasPrefix(d.Body, w.body) {
			t.Errorf("doc %d: body starts %.60q, want %q", i, d.Body, w.body)
		}
		for _, s := range w.bodyHas {
			if !strings.Contains(d.Body, s) {
				t.Errorf("doc %d: body lacks %q:\n%s", i, s, d.Body)
			}
		}
		for _, s := range w.bodyHasNot {
			if strings.Contains(d.Body, s) {
				t.Errorf("doc %d: body has %q:\n%s", i, s, d.Body)
			}
		}
	}
}

func TestParseFeedFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []wantDoc
	}{
		{"testdata/feeds/rss2.xml", []wantDoc{
			{
				title: "Afghanistan: Taliban fighters enter Qala-i-Naw as commandos are flown in",
				url:   "https://news.example.org/world-asia-57756000", source: "Example News - Asia", lang: "en-gb",
				published: time.Date(2021, 7, 8, 9, 41, 13, 0, time.UTC),
				body:      "Smoke covered the provincial capital in Afghanistan on Thursday",
				bodyHas: []string{"into Qala-i-Naw, the city", "Smoke over the city — AFP",
					"since US troop withdrawal & the pullout is \"90 percent complete\".", "Thursday as fighting went on between Afghan forces and the Taliban.\n\nThe government"},
				bodyHasNot: []string{"<", "track(", "&amp;", "Smoke over Qala-i-Naw"},
			},
			{
				title: "Afghan forces take back Qala-e-Naw after Taliban assault",
				url:   "https://news.example.org/world-asia-57761234", source: "Example News - Asia", lang: "en-gb",
				published: time.Date(2021, 7, 8, 11, 50, 0, 0, time.UTC),
				body:      "Afghan government forces have retaken control",
				bodyHas:   []string{"stormed the city.\n\nResidents had either fled or stayed indoors — officials"},
			},
			{
				title: "Herat: fighting spreads to two districts",
				url:   "https://news.example.org/world-asia-57762000", source: "Example Wire", lang: "en-gb",
				published: time.Date(2021, 7, 8, 15, 5, 0, 0, time.UTC),
				body:      "Officials acknowledged losing two districts to the insurgents’ advance",
			},
			{
				title: "Taliban seize police headquarters in Badghis", derived: true,
				url: "https://news.example.org/world-asia-57750000", source: "Example News - Asia", lang: "en-gb",
				published: time.Date(2021, 7, 7, 13, 0, 0, 0, time.UTC),
				body:      "Taliban seize police headquarters in Badghis. Militants",
			},
		}},
		{"testdata/feeds/atom.xml", []wantDoc{
			{
				title: "Taliban launch first assault on a provincial capital — Qala-i-Naw",
				url:   "https://wire.example.com/afghanistan/2021/07/07/qala-i-naw-assault", source: "Wire Desk: Afghanistan", lang: "en",
				published: time.Date(2021, 7, 7, 5, 0, 0, 0, time.UTC),
				body:      "Fierce fighting erupted in the western city of Qala-i-Naw, the capital of Badghis",
				bodyHas:   []string{"seizing police headquarters.\n\nAs news", "clashes & onlookers", "(fighters < 100 by one count)"},
			},
			{
				title: "Les talibans attaquent Qala-i-Naw",
				url:   "https://wire.example.com/fr/afghanistan/qala-i-naw", source: "Wire Desk: Afghanistan", lang: "fr",
				published: time.Date(2021, 7, 7, 15, 0, 0, 0, time.UTC),
				body:      "Les combats ont éclaté mercredi",
				bodyHas:   []string{"Badghis.\n\nLes insurgés"},
			},
			{
				title: "Commandos flown to Badghis", source: "Partner Agency", lang: "en",
				published: time.Date(2021, 7, 8, 6, 0, 0, 0, time.UTC),
				body:      "Overnight, the defence ministry",
			},
		}},
		{"testdata/feeds/rss1.xml", []wantDoc{
			{
				title: "Badghis governor says city cleared",
				url:   "https://regional.example.net/2021/07/badghis", source: "Regional Monitor", lang: "en",
				published: day(2021, 7, 8),
				body:      "The Taliban have been pushed back",
			},
		}},
		{"testdata/feeds/latin1.rss", []wantDoc{
			{
				title: "Afghanistan : les talibans à Qala-i-Naw",
				url:   "https://lemonde.example.fr/a/1", source: "Le Monde Example", lang: "fr",
				published: time.Date(2021, 7, 8, 8, 0, 0, 0, time.UTC),
				body:      "Le coût des combats, estimé à £ 2 millions.",
			},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			docs, log, err := parseFile(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if log.Len() != 0 {
				t.Errorf("unexpected log: %s", log)
			}
			checkDocs(t, docs, tc.want)
			for _, d := range docs {
				if d.Path != tc.file {
					t.Errorf("Path %q, want %q", d.Path, tc.file)
				}
			}
		})
	}
}

func TestParseFeedErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		notFeed  bool // else an XML syntax error
	}{
		{"empty", "", true},
		{"text", "just some words", true},
		{"html page", "<!DOCTYPE html><html><body><p>hi</p></body></html>", true},
		{"sitemap", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`, true},
		{"truncated", `<rss version="2.0"><channel><title>x</title><item><title>a`, false},
		{"stray end tag", `</rss>`, false},
		{"bad encoding", `<?xml version="1.0" encoding="x-no-such"?><rss><channel></channel></rss>`, false},
		{"invalid UTF-8", "<rss><channel><item><title>\xff\xfe</title></item></channel></rss>", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseFeed(strings.NewReader(tc.in), feedOptions{})
			if err == nil {
				t.Fatalf("no error, feed %+v", f)
			}
			var se *xml.SyntaxError
			if tc.notFeed && !errors.Is(err, ErrNotFeed) {
				t.Errorf("err %v, want ErrNotFeed", err)
			}
			if !tc.notFeed && errors.Is(err, ErrNotFeed) {
				t.Errorf("err %v, want a syntax or encoding error", err)
			}
			if tc.name == "truncated" && !errors.As(err, &se) {
				t.Errorf("err %v, want an *xml.SyntaxError", err)
			}
		})
	}
}

func TestParseFeedTolerance(t *testing.T) {
	for _, tc := range []struct {
		name, in          string
		title, body, link string
	}{
		{"undeclared HTML entity", `<rss><channel><item><title>Kabul&nbsp;&ndash; update</title><description>x</description></item></channel></rss>`,
			"Kabul – update", "x", ""},
		{"unescaped HTML in description", `<rss><channel><item><title>t</title><description><p>one</p><p>two<br>three</p></description></item></channel></rss>`,
			"t", "one\n\ntwo\nthree", ""},
		{"default namespace on rss", `<rss xmlns="http://backend.userland.com/rss2"><channel><item><title>t</title><description>d</description><link>http://a.example/x</link></item></channel></rss>`,
			"t", "d", "http://a.example/x"},
		{"guid is not a permalink", `<rss><channel><item><title>t</title><description>d</description><guid isPermaLink="false">http://a.example/guid</guid></item></channel></rss>`,
			"t", "d", ""},
		{"atom without namespace", `<feed><entry><title>t</title><summary>s</summary><link href="http://a.example/e"/></entry></feed>`,
			"t", "s", "http://a.example/e"},
		{"atom 0.3", `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>t</title><issued>2021-07-08T00:00:00Z</issued><content type="text/html" mode="escaped">&lt;b&gt;c&lt;/b&gt;</content></entry></feed>`,
			"t", "c", ""},
		{"atom base64 content", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><content type="image/png">iVBORw0KGgo=</content><summary>s</summary></entry></feed>`,
			"t", "s", ""},
		{"media title does not replace the title", `<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:title>m</media:title><title>t</title><media:description>md</media:description><description>d</description></item></channel></rss>`,
			"t", "d", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseFeed(strings.NewReader(tc.in), feedOptions{})
			if err != nil {
				t.Fatal(err)
			}
			docs := finish(f.documents("", nil), "", "feed", fileTime)
			if len(docs) != 1 {
				t.Fatalf("%d documents, want 1", len(docs))
			}
			if d := docs[0]; d.Title != tc.title || d.Body != tc.body || d.URL != tc.link {
				t.Errorf("got title %q body %q link %q; want %q %q %q", d.Title, d.Body, d.URL, tc.title, tc.body, tc.link)
			}
		})
	}
}
