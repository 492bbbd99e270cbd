package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The data format, one record a line, fields separated by tabs, gzipped:
//
//	#wirewatch-gazetteer 1
//	#<comment lines: the credit>
//	P  id  level  country  admin1  admin2  population  name
//	N  flags  folded  text  id,id,...
//
// Places come first, sorted by ID; names follow in index order. level is
// 1 (country) to 4 (city); flags is "-" or letters: c Common, u Upper,
// d Demonym; folded is FoldName(text).
const dataMagic = "#wirewatch-gazetteer 1"

// embedded is the gazetteer geo/gen builds from the GeoNames extracts;
// `go generate ./geo` rebuilds it byte for byte.
//
//go:generate go run ./gen
//go:embed data/gazetteer.tsv.gz
var embedded []byte

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the built-in gazetteer, loaded from the embedded data on
// first use. It panics if the embedded data is corrupt, which the package's
// tests rule out.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		start := time.Now()
		g, err := loadGzip(embedded)
		if err != nil {
			panic(fmt.Sprintf("geo: embedded gazetteer: %v", err))
		}
		defaultGaz = g
		slog.Debug("geo: gazetteer loaded", "places", len(g.places), "names", len(g.names),
			"took", time.Since(start))
	})
	return defaultGaz
}

// Load reads a gazetteer written by WriteTo.
func Load(r io.Reader) (*Gazetteer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("geo: load: %w", err)
	}
	return loadGzip(b)
}

func loadGzip(b []byte) (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("geo: load: %w", err)
	}
	var buf bytes.Buffer
	if len(b) >= 4 {
		// The gzip trailer holds the uncompressed size (mod 2^32).
		buf.Grow(int(binary.LittleEndian.Uint32(b[len(b)-4:])) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("geo: load: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("geo: load: %w", err)
	}
	return parse(buf.String())
}

var errFormat = errors.New("malformed gazetteer data")

// parse reads the uncompressed data format. Strings in the result share
// data's memory.
func parse(data string) (*Gazetteer, error) {
	if !strings.HasPrefix(data, dataMagic+"\n") {
		return nil, fmt.Errorf("geo: load: %w: missing %q header", errFormat, dataMagic)
	}
	nNames := strings.Count(data, "\nN\t")
	places := make([]Place, 0, strings.Count(data, "\nP\t"))
	names := make([]Name, 0, nNames)
	keys := make([]string, 0, nNames)
	// Every id but the first of a name follows a comma, so this is enough
	// room for all of them and sub-slices stay valid.
	ids := make([]int64, 0, strings.Count(data, ",")+nNames)
	var f [8]string
	for line, rest := 1, data; rest != ""; line++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if l == "" || l[0] == '#' {
			continue
		}
		bad := func(what string) error {
			return fmt.Errorf("geo: load: line %d: %w: %s", line, errFormat, what)
		}
		switch l[0] {
		case 'P':
			if split(f[:], l) != 8 {
				return nil, bad("place needs 8 fields")
			}
			id, err1 := strconv.ParseInt(f[1], 10, 64)
			lv, err2 := strconv.ParseUint(f[2], 10, 8)
			pop, err3 := strconv.ParseInt(f[6], 10, 64)
			if err := errors.Join(err1, err2, err3); err != nil {
				return nil, fmt.Errorf("geo: load: line %d: %w", line, err)
			}
			places = append(places, Place{ID: id, Level: Level(lv), Country: f[3], Admin1: f[4],
				Admin2: f[5], Population: pop, Name: f[7]})
		case 'N':
			if split(f[:], l) != 5 {
				return nil, bad("name needs 5 fields")
			}
			n := Name{Text: f[3]}
			for _, c := range f[1] {
				switch c {
				case 'c':
					n.Common = true
				case 'u':
					n.Upper = true
				case 'd':
					n.Demonym = true
				case '-':
				default:
					return nil, bad("unknown name flag")
				}
			}
			from := len(ids)
			for s := f[4]; s != ""; {
				var v string
				v, s, _ = strings.Cut(s, ",")
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("geo: load: line %d: %w", line, err)
				}
				ids = append(ids, id)
			}
			n.Places = ids[from:len(ids):len(ids)]
			names = append(names, n)
			keys = append(keys, f[2])
		default:
			return nil, bad("unknown record")
		}
	}
	return build(places, names, keys), nil
}

// split cuts a tab-separated line into f and returns the number of fields,
// len(f)+1 when there are more than f holds.
func split(f []string, l string) int {
	for i := range f {
		var ok bool
		f[i], l, ok = strings.Cut(l, "\t")
		if !ok {
			return i + 1
		}
	}
	return len(f) + 1
}

// credit is written after the header of every data file.
const credit = "Place data from GeoNames (https://www.geonames.org/), CC BY 4.0."

// WriteTo writes the gazetteer in the data format Load reads, gzipped: the
// same bytes for the same gazetteer. It fails when a field holds a tab or a
// newline.
func (g *Gazetteer) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, fmt.Errorf("geo: write: %w", err)
	}
	bw := bufio.NewWriterSize(zw, 1<<16)
	bw.WriteString(dataMagic + "\n#" + credit + "\n")
	var line []byte
	for _, p := range g.places {
		line = append(line[:0], 'P', '\t')
		line = strconv.AppendInt(line, p.ID, 10)
		line = append(line, '\t')
		line = strconv.AppendUint(line, uint64(p.Level), 10)
		line = appendFields(line, p.Country, p.Admin1, p.Admin2)
		line = append(line, '\t')
		line = strconv.AppendInt(line, p.Population, 10)
		line = appendFields(line, p.Name)
		if err := checkLine(line); err != nil {
			return cw.n, fmt.Errorf("geo: write: place %d: %w", p.ID, err)
		}
		bw.Write(append(line, '\n'))
	}
	for i, n := range g.names {
		line = append(line[:0], 'N', '\t')
		flags := len(line)
		if n.Common {
			line = append(line, 'c')
		}
		if n.Upper {
			line = append(line, 'u')
		}
		if n.Demonym {
			line = append(line, 'd')
		}
		if len(line) == flags {
			line = append(line, '-')
		}
		line = appendFields(line, g.keys[i], n.Text)
		line = append(line, '\t')
		for j, id := range n.Places {
			if j > 0 {
				line = append(line, ',')
			}
			line = strconv.AppendInt(line, id, 10)
		}
		if err := checkLine(line); err != nil {
			return cw.n, fmt.Errorf("geo: write: name %q: %w", n.Text, err)
		}
		bw.Write(append(line, '\n'))
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("geo: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("geo: write: %w", err)
	}
	return cw.n, cw.err
}

func appendFields(line []byte, fields ...string) []byte {
	for _, f := range fields {
		line = append(line, '\t')
		line = append(line, f...)
	}
	return line
}

// checkLine rejects a record whose fields hold a newline or whose field
// count is wrong because a field held a tab.
func checkLine(line []byte) error {
	want := 4
	if line[0] == 'P' {
		want = 7
	}
	if bytes.ContainsAny(line, "\n\r") || bytes.Count(line, []byte{'\t'}) != want {
		return fmt.Errorf("%w: a field holds a tab or a newline", errFormat)
	}
	return nil
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
