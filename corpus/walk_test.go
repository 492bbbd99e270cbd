package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// TestWalkOrderWithFoldersListedAhead checks that listing folders ahead of
// the walk leaves it visiting every file once, in lexical order, with its
// size and time, through nested folders, folders that cannot be read,
// ignored folders and files beside folders, and that a visitor's error
// stops it.
func TestWalkOrderWithFoldersListedAhead(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	var want []string
	for i := range 12 {
		for j := range 3 {
			for k := range 4 {
				rel := filepath.Join(fmt.Sprintf("f%02d", i), fmt.Sprintf("g%d", j), fmt.Sprintf("%d-%d.txt", i, k))
				writeFile(t, dir, rel, "Headline\nBody "+rel, t0.Add(time.Duration(k)*time.Minute))
				want = append(want, filepath.Join(dir, rel))
			}
		}
		rel := fmt.Sprintf("f%02d.txt", i) // a file between two folders
		writeFile(t, dir, rel, "Headline\nBody", t0)
		want = append(want, filepath.Join(dir, rel))
	}
	writeFile(t, dir, "testdata/x.txt", "Headline\nIgnored", t0)
	writeFile(t, dir, ".hidden/y.txt", "Headline\nIgnored", t0)
	locked := filepath.Join(dir, "f05", "locked")
	writeFile(t, dir, "f05/locked/z.txt", "Headline\nUnreadable", t0)
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	// The order of filepath.WalkDir: by name within each folder.
	want = want[:0]
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if d != nil && d.IsDir() && (d.Name() == "testdata" || d.Name() == ".hidden" || path == locked && os.Geteuid() != 0) {
			return filepath.SkipDir
		}
		if err == nil && d.Type().IsRegular() {
			want = append(want, path)
		}
		return nil
	})
	if len(want) < 12*3*4+12 {
		t.Fatalf("reference walk found %d files", len(want))
	}

	var got []string
	st := &Stats{}
	err := walk(dir, &Parser{Logger: slog.New(slog.DiscardHandler)}, st, func(path string, fs fileStat) error {
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if !fs.ok || fs.size != info.Size() || !fs.mod.Equal(info.ModTime()) {
			t.Errorf("%s: walk says %+v, stat says %d bytes at %v", path, fs, info.Size(), info.ModTime())
		}
		got = append(got, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("visited %d files:\n%v\nwant %d:\n%v", len(got), got, len(want), want)
	}
	if os.Geteuid() != 0 && st.Failed != 1 {
		t.Errorf("%d folders failed, want the locked one", st.Failed)
	}

	stop := errors.New("stop")
	n := 0
	err = walk(dir, &Parser{Logger: slog.New(slog.DiscardHandler)}, &Stats{}, func(string, fileStat) error {
		if n++; n == 20 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 20 {
		t.Errorf("a visitor's error: walk returned %v after %d files", err, n)
	}
}
