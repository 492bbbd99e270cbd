package corpus

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFileTimesDateUndatedDocuments(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "A headline without a date\nThe body of an article that names no date at all.\n")
	write("b.txt", " date 2021-07-07 A dated article keeps its own date whatever the manifest says.\n")
	write("c.txt", "Another undated headline\nNot in the manifest, so it keeps the file's own time.\n")
	write(FileTimesName, "# comment\na.txt\t2021-07-08T14:30:00Z\nb.txt 2000-01-01T00:00:00Z\n")
	got := map[string]Document{}
	_, err := ReadPaths(context.Background(), &Parser{}, []string{dir}, func(_ context.Context, d Document) error {
		got[filepath.Base(d.Path)] = d
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("read %d documents (the manifest must not be one)", len(got))
	}
	if a := got["a.txt"]; !a.DateFromFile || !a.Published.Equal(time.Date(2021, 7, 8, 14, 30, 0, 0, time.UTC)) {
		t.Errorf("a.txt: %s from file %v, want the recorded time", a.Published, a.DateFromFile)
	}
	if b := got["b.txt"]; b.DateFromFile || !b.Published.Equal(time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("b.txt: %s, want its own date", b.Published)
	}
	info, err := os.Stat(filepath.Join(dir, "c.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c := got["c.txt"]; !c.DateFromFile || !c.Published.Equal(info.ModTime().UTC()) {
		t.Errorf("c.txt: %s, want the file's modification time %s", c.Published, info.ModTime().UTC())
	}
}

func TestParseFileTimesErrors(t *testing.T) {
	for _, bad := range []string{"a.txt", "a.txt not-a-time", "a.txt 2021-07-08T14:30:00Z extra"} {
		if _, err := ParseFileTimes([]byte(bad)); err == nil {
			t.Errorf("ParseFileTimes(%q) accepted", bad)
		}
	}
}
