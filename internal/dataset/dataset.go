// Package dataset reads the public research corpora used by wirewatch's
// tests, benchmarks and quality reports: Reuters-21578 (SGML) and the BBC
// News dataset. Neither is shipped with wirewatch; callers point at a copy
// and skip when it is absent (see Dir).
package dataset

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Dir returns the path of a data set under the shared data folder, looked
// up from the WIREWATCH_DATA environment variable or, failing that, from
// ../shared/data relative to the repository root found above the working
// directory. ok is false when the folder does not exist.
func Dir(name string) (string, bool) {
	roots := []string{}
	if d := os.Getenv("WIREWATCH_DATA"); d != "" {
		roots = append(roots, d)
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				roots = append(roots, filepath.Join(d, "..", "shared", "data"))
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, r := range roots {
		p := filepath.Join(r, name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p, true
		}
	}
	return "", false
}

// ReutersStory is one story of Reuters-21578.
type ReutersStory struct {
	NewID  string
	Date   string
	Places []string
	Title  string
	Body   string
}

var (
	reReuters = regexp.MustCompile(`(?s)<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>`)
	reDate    = regexp.MustCompile(`(?s)<DATE>(.*?)</DATE>`)
	rePlaces  = regexp.MustCompile(`(?s)<PLACES>(.*?)</PLACES>`)
	reD       = regexp.MustCompile(`<D>(.*?)</D>`)
	reTitle   = regexp.MustCompile(`(?s)<TITLE>(.*?)</TITLE>`)
	reBody    = regexp.MustCompile(`(?s)<BODY>(.*?)</BODY>`)
	reCtl     = regexp.MustCompile(`&#\d+;`)
)

// Reuters reads every story of the reut2-*.sgm files in dir, in file order.
// Stories without a body keep an empty Body. Bytes that are not UTF-8 are
// replaced with U+FFFD.
func Reuters(dir string) ([]ReutersStory, error) {
	files, err := filepath.Glob(filepath.Join(dir, "reut2-*.sgm"))
	if err != nil {
		return nil, fmt.Errorf("reuters: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("reuters: no reut2-*.sgm files in %s", dir)
	}
	sort.Strings(files)
	var out []ReutersStory
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reuters: %w", err)
		}
		if !utf8.Valid(data) {
			data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
		}
		for _, m := range reReuters.FindAllSubmatch(data, -1) {
			s := ReutersStory{NewID: string(m[1])}
			inner := m[2]
			if d := reDate.FindSubmatch(inner); d != nil {
				s.Date = strings.TrimSpace(string(d[1]))
			}
			if p := rePlaces.FindSubmatch(inner); p != nil {
				for _, d := range reD.FindAllSubmatch(p[1], -1) {
					s.Places = append(s.Places, string(d[1]))
				}
			}
			if t := reTitle.FindSubmatch(inner); t != nil {
				s.Title = clean(t[1])
			}
			if b := reBody.FindSubmatch(inner); b != nil {
				s.Body = clean(b[1])
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func clean(b []byte) string {
	s := reCtl.ReplaceAllString(string(b), "")
	s = html.UnescapeString(s)
	s = strings.TrimSuffix(strings.TrimSpace(s), "Reuter")
	return strings.TrimSpace(s)
}

// BBCArticle is one article of the BBC News dataset.
type BBCArticle struct {
	// Path is relative to the dataset folder: "business/001.txt".
	Path  string
	Title string
	Body  string
	// Raw is the file's bytes.
	Raw []byte
}

// BBC reads every article of the BBC News dataset at dir (the folder that
// holds bbc/), sorted by path. Files that are not valid UTF-8 are returned
// with Title and Body empty and Raw set.
func BBC(dir string) ([]BBCArticle, error) {
	root := filepath.Join(dir, "bbc")
	files, err := filepath.Glob(filepath.Join(root, "*", "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("bbc: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("bbc: no articles under %s", root)
	}
	sort.Strings(files)
	out := make([]BBCArticle, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("bbc: %w", err)
		}
		rel, _ := filepath.Rel(root, f)
		a := BBCArticle{Path: filepath.ToSlash(rel), Raw: data}
		if utf8.Valid(data) {
			title, body, _ := strings.Cut(string(data), "\n")
			a.Title = strings.TrimSpace(title)
			a.Body = strings.TrimSpace(body)
		}
		out = append(out, a)
	}
	return out, nil
}
