package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// deepFiles are 100 KB rules files nested 50,000 levels deep, in each way
// YAML can nest.
func deepFiles() map[string]string {
	const n = 50000
	return map[string]string{
		"flow sequences": "rules: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
		"flow mappings":  "rules: " + strings.Repeat("{a: ", n) + "b" + strings.Repeat("}", n) + "\n",
		"block entries":  "rules:\n  " + strings.Repeat("- ", n) + "x\n",
		"block keys":     indented(400),
	}
}

// indented is n mappings, each indented one more than the last.
func indented(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// TestDeepFileFailsFast parses 100 KB files nested 50,000 deep (the block
// mappings 400 deep, 80 KB): each is refused with one error naming where
// nesting went too deep, having allocated a few kilobytes (the parser is
// never reached).
func TestDeepFileFailsFast(t *testing.T) {
	for name, text := range deepFiles() {
		t.Run(name, func(t *testing.T) {
			data := []byte(text)
			l := testLoader()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cfg, err := l.Parse("deep.yml", data)
			runtime.ReadMemStats(&after)
			var list ErrorList
			if cfg != nil || !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse = %v, %v; want one error", cfg, err)
			}
			if !strings.Contains(list[0].Msg, "nest more than 64 levels") || list[0].Line < 1 || list[0].Col < 1 {
				t.Errorf("error %q at %d:%d", list[0].Msg, list[0].Line, list[0].Col)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<10 {
				t.Errorf("refusing the file allocated %d bytes; want under 16 KB", alloc)
			}
		})
	}
}

// TestDeepFileError checks the error's position on the file of the issue.
func TestDeepFileError(t *testing.T) {
	_, err := testLoader().Parse("rules.yaml", []byte(deepFiles()["flow sequences"]))
	want := `rules.yaml:1:71: lists and mappings nest more than 64 levels deep here`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v; want %s...", err, want)
	}
}

func TestFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	data := "# " + strings.Repeat("x", 2<<20) + "\n" + "rules: []\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := testLoader().Load(path)
	want := path + ":1:1: the file is larger than the 262144 bytes a rules file may have; is BOT_RULES the right file?"
	if err == nil || err.Error() != want {
		t.Errorf("Load error %v; want %s", err, want)
	}
	l := testLoader()
	l.MaxSize = 4 << 20
	if _, err := l.Load(path); err != nil {
		t.Errorf("with MaxSize 4 MB: error %v; want the file read", err)
	}
}

// TestDepthCounting checks how checkDepth counts on valid YAML: brackets
// in comments, quotes and block scalars do not count; each nesting does.
func TestDepthCounting(t *testing.T) {
	tests := []struct {
		name, yaml string
		depth      int // the true nesting
	}{
		{"flat", "a: 1\nb: two\n", 1},
		{"flow in block", "a:\n  b: [1, {c: [2]}]\n", 5},
		{"compact entries", "a:\n  - - - x\n", 4},
		{"entry with mapping", "a:\n  - b: 1\n    c:\n      d: [x]\n", 5},
		{"indentless sequence", "a:\n- b\n- c\n", 2},
		{"comment brackets", "a: 1 # [[[[[[\n# {{{{{{{\nb: [x] #]]]\n", 2},
		{"quoted brackets", "a: \"[[[[[[\\\"[[[\"\nb: '[[[[''[[['\nc: [\"]]\", '[[']\n", 2},
		{"multi-line quote", "a: \"[[[\n  [[[[ ]]\"\nb: x\n", 1},
		{"plain brackets", "a: x[[[[y\nb: don't [ stop\nc: [a'b, c\"d]\n", 2},
		{"literal block", "a: |\n  [[[[[[\n  - - - -\n    {{{{\n\n  x\nb: [1]\n", 2},
		{"folded block in entry", "a:\n  - b: >-\n      [[[[[[\n      - - - -\n    c: 1\n", 3},
		{"block with indicator", "a: |2\n    [[[[\n  [[[[\nb: 1\n", 1},
		{"anchors and tags", "a: &x !!seq [[1]]\nb: *x\n", 3},
		{"documents", "---\na:\n  b:\n    c: 1\n---\nd: 1\n", 3},
		{"CRLF", "a:\r\n  b: [1]\r\n", 3},
		{"lone CR", "a:\r  b:\r    c: [1]\r", 4},
		{"key with colon in value", "a: http://x.example/a:b\nb: 1\n", 1},
		{"quoted key", "\"a: b\": [1]\n'c''d': {e: f}\n", 2},
		{"json", "{\"a\": [1, {\"b\": [2]}], \"c\": {}}\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trueDepth(t, tt.yaml); got != tt.depth {
				t.Fatalf("the test is wrong: the parser finds depth %d, not %d", got, tt.depth)
			}
			if err := checkDepth("f.yml", []byte(tt.yaml), tt.depth); err != nil {
				t.Errorf("refused at depth %d: %v", tt.depth, err)
			}
		})
	}
}

// TestRulesFilesPassDepth checks every fixture and the sample rules.yaml
// against a limit of 8: real files nest far less than the limit.
func TestRulesFilesPassDepth(t *testing.T) {
	files, _ := filepath.Glob("testdata/conf.*.yml")
	for _, f := range append(files, "../rules.yaml") {
		if strings.HasSuffix(f, "too-deep.yml") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkDepth(f, data, 8); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// trueDepth is how deeply the YAML parser finds data's collections nest.
func trueDepth(t testing.TB, data string) int {
	t.Helper()
	f, err := parser.ParseBytes([]byte(data), 0)
	if err != nil {
		t.Fatalf("not valid YAML: %v", err)
	}
	d := 0
	for _, doc := range f.Docs {
		d = max(d, nodeDepth(doc.Body, 0))
	}
	return d
}

// nodeDepth returns the nesting of n's collections; guard stops at
// aliases' targets (they add no nesting).
func nodeDepth(n ast.Node, guard int) int {
	if guard > 200 {
		return 0
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		d := 0
		for _, mv := range v.Values {
			d = max(d, nodeDepth(mv.Key, guard+1), nodeDepth(mv.Value, guard+1))
		}
		return d + 1
	case *ast.MappingValueNode:
		return 1 + max(nodeDepth(v.Key, guard+1), nodeDepth(v.Value, guard+1))
	case *ast.SequenceNode:
		d := 0
		for _, x := range v.Values {
			d = max(d, nodeDepth(x, guard+1))
		}
		return d + 1
	case *ast.AnchorNode:
		return nodeDepth(v.Value, guard+1)
	case *ast.TagNode:
		return nodeDepth(v.Value, guard+1)
	}
	return 0
}

// FuzzDepth checks that checkDepth never counts deeper than the YAML
// parser finds in valid YAML, so a valid file is never refused for nesting
// it lacks. The YAML is the encoder's rendering, in several styles, of
// nested lists and mappings of arbitrary strings built from the input.
// (Raw input would not do: the parser accepts garbage such as `""[[` that
// checkDepth counts as it looks, as it must: the parser spends seconds on
// `a: ""[[[[...` and minutes on "a: b\n  c: [[[[...".)
func FuzzDepth(f *testing.F) {
	f.Add([]byte("\x01\x03\x02\x02\x00\x05a: [b\x00\x03- c\x01\x02\x00\x04#[{x\x02\x01\x00\x06|\n [ \"'"))
	f.Add([]byte("\x02\x03\x01\x01\x00\x02k1\x02\x02\x00\x03\n\n[\x03\x00\x01-"))
	styles := [][]yaml.EncodeOption{
		nil,
		{yaml.IndentSequence(true)},
		{yaml.Flow(true)},
		{yaml.Indent(1)},
		{yaml.UseSingleQuote(true), yaml.UseLiteralStyleIfMultiline(true)},
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		v := build(&prog, 0)
		for i, opts := range styles {
			out, err := yaml.MarshalWithOptions(v, opts...)
			if err != nil {
				continue
			}
			file, err := parser.ParseBytes(out, 0)
			if err != nil || len(file.Docs) != 1 {
				continue // the encoder's mistake, not checkDepth's
			}
			d := nodeDepth(file.Docs[0].Body, 0)
			if e := checkDepth("f.yml", out, d); e != nil {
				t.Fatalf("style %d: the parser finds depth %d, checkDepth refuses: %v\n%s", i, d, e, out)
			}
		}
	})
}

// build makes a value from the bytes of prog: a string, a list or a
// mapping of values built from the bytes that follow.
func build(prog *[]byte, depth int) any {
	next := func() int {
		if len(*prog) == 0 {
			return 0
		}
		b := (*prog)[0]
		*prog = (*prog)[1:]
		return int(b)
	}
	str := func() string {
		n := min(next()%24, len(*prog))
		s := string((*prog)[:n])
		*prog = (*prog)[n:]
		return s
	}
	if depth > 40 {
		return str()
	}
	switch next() % 3 {
	case 1:
		n := next() % 4
		l := make([]any, n)
		for i := range l {
			l[i] = build(prog, depth+1)
		}
		return l
	case 2:
		n := next() % 4
		m := yaml.MapSlice{}
		for range n {
			m = append(m, yaml.MapItem{Key: str(), Value: build(prog, depth+1)})
		}
		return m
	}
	return str()
}

// FuzzDepthBound checks the other way: checkDepth may count low (an
// indentless sequence, "a:\n- b", shares its mapping's column), but never
// lets a file through that nests more than twice its limit, plus one.
func FuzzDepthBound(f *testing.F) {
	f.Add([]byte("a:\n- b:\n  - c:\n    - d: [1]\n"))
	f.Add([]byte("a: |\n  x\n b: [[[1]]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		file, err := parser.ParseBytes(data, 0)
		if err != nil {
			return
		}
		d := 0
		for _, doc := range file.Docs {
			d = max(d, nodeDepth(doc.Body, 0))
		}
		limit := 1
		for checkDepth("f.yml", data, limit) != nil {
			limit++
		}
		if d > 2*limit+1 {
			t.Fatalf("checkDepth passes at %d, the parser finds depth %d:\n%q", limit, d, data)
		}
	})
}

// BenchmarkRefuseDeep is the 100 KB rules file nested 50,000 deep.
func BenchmarkRefuseDeep(b *testing.B) {
	data := []byte(deepFiles()["flow sequences"])
	l := Loader{}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Parse("deep.yml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkParseLargest parses a file of DefaultMaxSize: aliases, one a
// line, the shape on which the YAML parser's cost grows fastest.
func BenchmarkParseLargest(b *testing.B) {
	var buf strings.Builder
	buf.WriteString("aliases:\n")
	for i := 0; ; i++ {
		line := fmt.Sprintf("  qala-%d: Qala-i-Naw\n", i)
		if buf.Len()+len(line) > DefaultMaxSize {
			break
		}
		buf.WriteString(line)
	}
	data := []byte(buf.String())
	l := Loader{}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Parse("big.yml", data); err != nil {
			b.Fatal(err)
		}
	}
}
