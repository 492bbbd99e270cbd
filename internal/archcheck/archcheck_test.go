// Package archcheck keeps docs/architecture.md true and the code's shape
// as the docs promise: every package is described there, no package
// imports one its paragraph does not allow, no function outside tests is
// longer than 80 lines, and cmd/bot stays under 600 lines.
package archcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	root   = "../.."
	module = "github.com/wirewatch/wirewatch"
	doc    = "docs/architecture.md"
)

// Limits of the code's shape.
const (
	maxFuncLines   = 80
	maxCmdBotLines = 600
)

// rule is one package paragraph of the doc: the packages it names and
// those they may import (anything: no limit).
type rule struct {
	packages []string
	allowed  []string
	anything bool
}

var backticked = regexp.MustCompile("`([^`]+)`")

// readRules reads the "## Packages" section of the doc.
func readRules(t *testing.T) []rule {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, doc))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## Packages\n")
	if !ok {
		t.Fatalf("%s has no \"## Packages\" section", doc)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var rules []rule
	for _, part := range strings.Split(section, "\n### ")[1:] {
		heading, body, _ := strings.Cut(part, "\n")
		r := rule{}
		for _, m := range backticked.FindAllStringSubmatch(heading, -1) {
			r.packages = append(r.packages, m[1])
		}
		_, imports, ok := strings.Cut(body, "May import:")
		if !ok || len(r.packages) == 0 {
			t.Errorf("%s: the paragraph %q names no package or lacks \"May import:\"", doc, heading)
			continue
		}
		imports, _, _ = strings.Cut(imports, "\n\n")
		r.anything = strings.HasPrefix(strings.TrimSpace(imports), "anything")
		for _, m := range backticked.FindAllStringSubmatch(imports, -1) {
			r.allowed = append(r.allowed, m[1])
		}
		rules = append(rules, r)
	}
	return rules
}

// matches reports whether pkg is pattern or, for "p/...", p or below it.
func matches(pattern, pkg string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == p || strings.HasPrefix(pkg, p+"/")
	}
	return pkg == pattern
}

// pkgFiles maps each package of the module (its path inside the module)
// to its Go files; other modules (tools/...) and testdata are left out.
func pkgFiles(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			name := d.Name()
			if rel != "." && (strings.HasPrefix(name, ".") || name == "testdata" || exists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			dir := filepath.ToSlash(filepath.Dir(rel))
			out[dir] = append(out[dir], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// imports returns the module's packages that the non-test files import.
func imports(t *testing.T, files []string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range af.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if inner, ok := strings.CutPrefix(p, module+"/"); ok && !slices.Contains(out, inner) {
				out = append(out, inner)
			}
		}
	}
	return out
}

func TestPackagesFollowTheArchitecture(t *testing.T) {
	rules := readRules(t)
	pkgs := pkgFiles(t)
	for _, r := range rules {
		for _, p := range append(slices.Clone(r.packages), r.allowed...) {
			if !slices.ContainsFunc(slices.Collect(maps.Keys(pkgs)), func(pkg string) bool { return matches(p, pkg) }) {
				t.Errorf("%s names %s, which is no package", doc, p)
			}
		}
	}
	for pkg, files := range pkgs {
		i := slices.IndexFunc(rules, func(r rule) bool {
			return slices.ContainsFunc(r.packages, func(p string) bool { return matches(p, pkg) })
		})
		if i < 0 {
			t.Errorf("package %s has no paragraph in %s: say what it owns and what it may import", pkg, doc)
			continue
		}
		if rules[i].anything {
			continue
		}
		for _, imp := range imports(t, files) {
			own := slices.ContainsFunc(rules[i].packages, func(p string) bool { return matches(p, imp) })
			if !own && !slices.ContainsFunc(rules[i].allowed, func(p string) bool { return matches(p, imp) }) {
				t.Errorf("%s imports %s, which %s does not allow it", pkg, imp, doc)
			}
		}
	}
}

// TestNoLongFunctions holds every function outside tests, in the whole
// repository, to 80 lines.
func TestNoLongFunctions(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			from, to := fset.Position(fn.Pos()), fset.Position(fn.End())
			if n := to.Line - from.Line + 1; n > maxFuncLines {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: %s is %d lines; split it (at most %d outside tests)", rel, from.Line, fn.Name.Name, n, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCmdBotIsSmall keeps cmd/bot to parsing, wiring and running.
func TestCmdBotIsSmall(t *testing.T) {
	lines := 0
	for _, f := range pkgFiles(t)["cmd/bot"] {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines += strings.Count(string(b), "\n")
	}
	if lines >= maxCmdBotLines {
		t.Errorf("cmd/bot has %d lines outside tests, want fewer than %d: move what is not parsing, wiring or running into bot or a package of its own", lines, maxCmdBotLines)
	}
}
