package corpus

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMessagesSayThingsOnce: errors are wrapped once ("json: json:",
// "open: open" never), and a skip without an underlying error logs no
// err=<nil>.
func TestMessagesSayThingsOnce(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	writeFile(t, dir, "type.json", `{"title": 5, "body": "b"}`, t0)
	writeFile(t, dir, "cut.json", `{"title": "t"`, t0)
	writeFile(t, dir, "lines.jsonl", "{\"title\": 5}\n{\"title\": \"ok\", \"body\": \"b\"}\n", t0)
	writeFile(t, dir, "empty.txt", "", t0)
	var log bytes.Buffer
	p := Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}
	st, err := ReadPaths(context.Background(), &p, []string{dir}, func(context.Context, Document) error { return nil })
	if err != nil || st.Skipped != 3 {
		t.Fatalf("stats %+v, %v", st, err)
	}
	var msgs []string
	for _, s := range st.Skips {
		msgs = append(msgs, s.Error())
	}
	all := log.String() + strings.Join(msgs, "\n")
	for _, twice := range []string{"json: json:", "<nil>", "open: open"} {
		if strings.Contains(all, twice) {
			t.Errorf("%q in:\n%s", twice, all)
		}
	}
	if !strings.Contains(all, "json: cannot unmarshal") || !strings.Contains(all, "json: unexpected end of JSON input") {
		t.Errorf("JSON problems not said:\n%s", all)
	}

	_, _, err = p.readFile(filepath.Join(dir, "gone.txt"))
	if err == nil || strings.HasPrefix(err.Error(), "open: open") || !strings.Contains(err.Error(), "gone.txt") {
		t.Errorf("missing file: %v", err)
	}
	if !os.IsNotExist(err) {
		t.Errorf("missing file error %v is not fs.ErrNotExist", err)
	}
}
