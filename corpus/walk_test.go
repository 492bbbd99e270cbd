package corpus

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDirSourceFollowsLinksSafely(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	outside := t.TempDir()
	writeFile(t, outside, "wire/a.txt", "Headline A\nTaliban enter Qala-i-Naw.", t0)
	writeFile(t, dir, "local/b.txt", "Headline B\nCommandos arrive in Badghis.", t0)
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	link(filepath.Join(outside, "wire"), "feeds")          // a folder elsewhere: followed
	link(dir, "local/loop")                                // back to the root: a loop
	link(filepath.Join(dir, "local"), "mirror")            // a second path to local/
	link(filepath.Join(dir, "nowhere"), "gone")            // to nothing
	link(filepath.Join(outside, "wire", "a.txt"), "x.txt") // a file: read

	var log bytes.Buffer
	src := &DirSource{Root: dir, Seen: &MemorySeen{}, Parser: Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}}
	var docs []Document
	st, err := src.Scan(context.Background(), collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	j := func(p string) string { return filepath.Join(dir, p) }
	if want := []string{j("feeds/a.txt"), j("local/b.txt"), j("x.txt")}; !slices.Equal(paths(docs), want) {
		t.Errorf("read %v\nwant %v", paths(docs), want)
	}
	reasons := map[string]string{}
	for _, s := range st.Skips {
		reasons[s.Path] = s.Reason
	}
	want := map[string]string{j("gone"): ReasonBrokenLink, j("local/loop"): ReasonLinkLoop, j("mirror"): ReasonLinkLoop}
	if len(reasons) != len(want) || st.Skipped != len(want) {
		t.Errorf("skips %v, want %v", reasons, want)
	}
	for p, r := range want {
		if reasons[p] != r {
			t.Errorf("%s skipped as %q, want %q", p, reasons[p], r)
		}
		if !strings.Contains(log.String(), "path="+p) {
			t.Errorf("no log line for %s:\n%s", p, log.String())
		}
	}
}
