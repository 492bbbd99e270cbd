package corpus

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// encode returns s in UTF-16 with a byte-order mark.
func encodeUTF16(t *testing.T, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEncodings(t *testing.T) {
	const text = " date 2021-07-07 Taliban fighters entered Qala-i-Naw, the capital of Badghis — “a city under siege”, officials said. Kābul sent commandos."
	latin1, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte("Afghan forces retake Qala-e-Naw\nThe café reopened; prices rose by £3 and 5°."))
	if err != nil {
		t.Fatal(err)
	}
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte("Smart quotes: “Taliban” — and €20 fines"))
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/encodings/latin1.txt")
	if err != nil {
		t.Fatal(err)
	}
	feed := `<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Wire</title>` +
		`<item><title>Qala-i-Naw: “siege”</title><description>Fighting in Badghis.</description></item></channel></rss>`
	for _, tc := range []struct {
		name, path string
		data       []byte
		enc        string // logged encoding, "" for none
		want       []string
	}{
		{"UTF-16 LE", "a.txt", encodeUTF16(t, text, unicode.LittleEndian), EncodingUTF16, []string{"Qala-i-Naw", "“a city under siege”", "Kābul", "—"}},
		{"UTF-16 BE", "a.txt", encodeUTF16(t, text, unicode.BigEndian), EncodingUTF16, []string{"Qala-i-Naw", "Kābul"}},
		{"UTF-8 with mark", "a.txt", append([]byte{0xEF, 0xBB, 0xBF}, text...), "", []string{"Kābul"}},
		{"Latin-1", "b.md", latin1, EncodingWindows1252, []string{"café", "£3", "5°"}},
		{"Latin-1 fixture", "testdata/encodings/latin1.txt", fixture, EncodingWindows1252, []string{"Chelsea", "£"}},
		{"Windows-1252", "c.txt", cp1252, EncodingWindows1252, []string{"“Taliban”", "—", "€20"}},
		{"UTF-16 feed", "f.rss", encodeUTF16(t, feed, unicode.LittleEndian), EncodingUTF16, []string{"Qala-i-Naw: “siege”", "Fighting in Badghis."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			p := Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}
			docs, err := p.Parse(tc.path, tc.data, fileTime)
			if err != nil || len(docs) != 1 {
				t.Fatalf("got %d docs, err %v", len(docs), err)
			}
			d := docs[0]
			checkDoc(t, d)
			for _, w := range tc.want {
				if !strings.Contains(d.Text(), w) {
					t.Errorf("text lacks %q: %q", w, d.Text())
				}
			}
			if logged := strings.Contains(log.String(), "encoding="+tc.enc); tc.enc != "" && !logged || tc.enc == "" && log.Len() > 0 {
				t.Errorf("log %q, want encoding %q", log.String(), tc.enc)
			}
			if tc.name == "UTF-16 LE" && !d.Published.Equal(day(2021, 7, 7)) {
				t.Errorf("date %v", d.Published)
			}
		})
	}
}
