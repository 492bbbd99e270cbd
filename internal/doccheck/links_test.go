package doccheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// root is the repository, from this package's directory.
const root = "../.."

// notInRepo are top-level names that exist in a working copy but not in
// the repository (see .gitignore), so paths under them are not checked.
var notInRepo = map[string]bool{".git": true, "data": true}

// textFile is a file whose text is checked: Markdown, Go comments, and the
// configuration and build files.
type textFile struct {
	path string // relative to root, slash-separated
	text string // for Go files, the comment lines only
}

// repoFiles returns every file whose text names paths.
func repoFiles(t *testing.T) []textFile {
	t.Helper()
	var files []textFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			if path != root && (notInRepo[rel] || strings.Contains(rel, "/fuzz/")) {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		ext := filepath.Ext(name)
		checked := ext == ".md" || ext == ".go" || ext == ".yaml" && !strings.Contains(rel, "testdata/") ||
			name == "Dockerfile" || name == ".env.example" || rel == ".ci/run" ||
			name == ".gitignore" || name == ".dockerignore" || rel == "geo/gen/common.txt"
		if !checked {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		if ext == ".go" {
			text = goComments(text)
		}
		files = append(files, textFile{rel, text})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found only %d files under %s", len(files), root)
	}
	return files
}

// goComments returns the // comment lines of a Go file.
func goComments(src string) string {
	var b strings.Builder
	for line := range strings.Lines(src) {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "//") && !strings.HasPrefix(t, "//go:") {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// mdLink is an inline Markdown link or image: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestMarkdownLinks checks that every relative link between the
// repository's Markdown files points at a file that exists and, when it
// has a #fragment, at a heading of that file.
func TestMarkdownLinks(t *testing.T) {
	n := 0
	for _, f := range repoFiles(t) {
		if !strings.HasSuffix(f.path, ".md") {
			continue
		}
		for _, m := range mdLink.FindAllStringSubmatch(stripCode(f.text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			n++
			file, frag, _ := strings.Cut(target, "#")
			dest := f.path
			if file != "" {
				dest = filepath.ToSlash(filepath.Join(filepath.Dir(f.path), file))
			}
			if _, err := os.Stat(filepath.Join(root, dest)); err != nil {
				t.Errorf("%s: link to %s: no such file", f.path, target)
				continue
			}
			if frag != "" && strings.HasSuffix(dest, ".md") {
				data, _ := os.ReadFile(filepath.Join(root, dest))
				if !anchors(string(data))[frag] {
					t.Errorf("%s: link to %s: %s has no heading #%s", f.path, target, dest, frag)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d relative links checked; is the link pattern right?", n)
	}
}

// stripCode removes fenced code blocks, whose text is not Markdown.
func stripCode(s string) string {
	var b strings.Builder
	code := false
	for line := range strings.Lines(s) {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			code = !code
			continue
		}
		if !code {
			b.WriteString(line)
		}
	}
	return b.String()
}

// anchors returns the fragment ids GitHub gives the headings of a Markdown
// document: lower case, punctuation other than - and _ dropped, spaces as
// hyphens, a repeated id suffixed -1, -2...
func anchors(doc string) map[string]bool {
	ids := map[string]bool{}
	count := map[string]int{}
	for line := range strings.Lines(stripCode(doc)) {
		line = strings.TrimSpace(line)
		h := strings.TrimLeft(line, "#")
		if h == line || len(line)-len(h) > 6 || !strings.HasPrefix(h, " ") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(h)) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		id := b.String()
		if c := count[id]; c > 0 {
			ids[id+"-"+itoa(c)] = true
		} else {
			ids[id] = true
		}
		count[id]++
	}
	return ids
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// namedPath finds what looks like a repository path in prose: words joined
// by slashes (corpus/dir.go, docs/rules.md, examples/corpus/), or a file
// name ending in .md.
var namedPath = regexp.MustCompile(`(?:^|[^\w./$<{*-])((?:[\w.-]+/)+[\w.-]*|[\w.-]+\.md)`)

var (
	rate    = regexp.MustCompile(`^\w+/s$`)
	goIdent = regexp.MustCompile(`\.[A-Z]\w*$`)
)

// TestNamedPathsExist checks that every path a document, a code comment or
// a configuration file names exists: a path whose first part is a
// top-level entry of the repository, relative to the root or to the file
// that names it, and every Markdown file name anywhere.
func TestNamedPathsExist(t *testing.T) {
	top := map[string]bool{}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !notInRepo[e.Name()] {
			top[e.Name()] = true
		}
	}
	n := 0
	for _, f := range repoFiles(t) {
		for _, m := range namedPath.FindAllStringSubmatchIndex(f.text, -1) {
			p := f.text[m[2]:m[3]]
			if next := f.text[m[3]:min(m[3]+1, len(f.text))]; next == "<" || next == "*" || next == "{" {
				continue // a pattern: conf.<kind>.yml, 0*.txt
			}
			p = strings.TrimRight(p, ".")
			if rate.MatchString(p) {
				continue // docs/s, MB/s
			}
			p = goIdent.ReplaceAllString(p, "") // internal/dataset.Dir
			clean := strings.TrimPrefix(p, "./")
			first, _, _ := strings.Cut(clean, "/")
			if !top[first] && !strings.HasSuffix(p, ".md") {
				continue
			}
			if strings.Contains(f.text[max(0, m[2]-8):m[2]], "://") {
				continue // part of a URL
			}
			n++
			if exists(clean) || exists(filepath.Join(filepath.Dir(f.path), clean)) {
				continue
			}
			t.Errorf("%s names %s, which does not exist", f.path, p)
		}
	}
	if n < 50 {
		t.Errorf("only %d named paths checked; is the pattern right?", n)
	}
}

func exists(rel string) bool {
	_, err := os.Stat(filepath.Join(root, rel))
	return err == nil
}
