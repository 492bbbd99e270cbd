package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var grepInputs = flag.String("grep-inputs", "", "write the Reuters bodies and the default patterns for the GNU grep comparison into this folder")

// TestGrepInputs writes, when -grep-inputs is given, the inputs of the
// grep comparison in docs/benchmarks/matcher.md: bodies.txt (every Reuters-21578
// body on one line) and patterns.txt (every keyword of the default
// rules.yaml and every gazetteer name, as written).
func TestGrepInputs(t *testing.T) {
	if *grepInputs == "" {
		t.Skip("no -grep-inputs folder")
	}
	bodies, _ := reutersBodies(t)
	m := defaultMatcher(t)
	var b strings.Builder
	for _, s := range bodies {
		b.WriteString(strings.Join(strings.Fields(s), " "))
		b.WriteByte('\n')
	}
	var p strings.Builder
	n := 0
	for _, slot := range m.slots {
		p.WriteString(slot.text + "\n")
		n++
	}
	for _, name := range m.gaz.Names() {
		if name.Text != "" && !strings.ContainsAny(name.Text, "\n") {
			p.WriteString(name.Text + "\n")
			n++
		}
	}
	if len(bodies) == 0 || n < len(m.gaz.Names()) {
		t.Fatalf("%d bodies, %d patterns for %d names", len(bodies), n, len(m.gaz.Names()))
	}
	for name, data := range map[string]string{"bodies.txt": b.String(), "patterns.txt": p.String()} {
		if err := os.WriteFile(filepath.Join(*grepInputs, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d bodies (%d bytes), %d patterns", len(bodies), b.Len(), n)
}
