package doccheck

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// goSourceDirs returns the repository's folders that hold Go files, and
// the folders on the way to them, slash-separated and relative to root.
func goSourceDirs(t *testing.T) map[string]bool {
	t.Helper()
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if p != root && notInRepo[rel] {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".go") {
			for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
				dirs[dir] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestIgnoreFilesKeepTheSources: no line of .dockerignore or .gitignore
// leaves out a folder of Go sources, as "/bot" once did (meant for the
// binary `go build` writes, it matched the bot package: git did not add
// its new files and the image could not be built). In .dockerignore every
// pattern is anchored at the root; in .gitignore a pattern with no slash
// but a trailing one matches at any depth.
func TestIgnoreFilesKeepTheSources(t *testing.T) {
	dirs := goSourceDirs(t)
	for _, name := range []string{".dockerignore", ".gitignore"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") || strings.Contains(line, "**") {
				continue
			}
			pat := strings.TrimSuffix(line, "/")
			anchored := name == ".dockerignore" || strings.Contains(pat, "/")
			pat = strings.TrimPrefix(pat, "/")
			for dir := range dirs {
				subject := dir
				if !anchored {
					subject = path.Base(dir)
				}
				if ok, err := path.Match(pat, subject); err != nil {
					t.Errorf("%s:%d: %q: %v", name, n+1, line, err)
					break
				} else if ok {
					t.Errorf("%s:%d: %q leaves out %s, a folder of Go sources", name, n+1, line, dir)
				}
			}
		}
	}
}
