package rules

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/wirewatch/wirewatch/geo"
)

// Loader reads rules.yaml. The zero Loader checks everything but the
// gazetteer names and treats every ${VAR} as unset.
type Loader struct {
	// Gazetteer, when set, is used to check that every region and alias
	// names a known place, so one Load reports every problem.
	Gazetteer *geo.Gazetteer
	// LookupEnv returns environment variables for ${VAR} in channel ids and
	// feed URLs (the environment and .env in the bot; a map in tests).
	LookupEnv func(name string) (string, bool)
	// MaxSize is the largest file read, in bytes (DefaultMaxSize when
	// zero), and MaxDepth how deeply its lists and mappings may nest
	// (DefaultMaxDepth when zero). Both are checked before decoding.
	MaxSize  int64
	MaxDepth int
}

// Load reads the rules file at path, checking its places against the
// built-in gazetteer (geo.Default) and expanding ${VAR} from the process
// environment; see Loader.Parse.
func Load(path string) (*Config, error) {
	return Loader{Gazetteer: geo.Default(), LookupEnv: os.LookupEnv}.Load(path)
}

// Parse is Load for data read from filename.
func Parse(filename string, data []byte) (*Config, error) {
	return Loader{Gazetteer: geo.Default(), LookupEnv: os.LookupEnv}.Parse(filename, data)
}

// Load reads and parses the rules file at path. A file that cannot be read
// is a wrapped os error; problems in the file, its size over MaxSize
// included, are an ErrorList. No more than MaxSize bytes are read.
func (l Loader) Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, l.maxSize()+1))
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return l.Parse(path, data)
}

func (l Loader) maxSize() int64 {
	if l.MaxSize > 0 {
		return l.MaxSize
	}
	return DefaultMaxSize
}

func (l Loader) maxDepth() int {
	if l.MaxDepth > 0 {
		return l.MaxDepth
	}
	return DefaultMaxDepth
}

// Parse decodes rules.yaml from data, strictly: unknown fields, values of
// the wrong type, unset ${VAR}s, dangling references, bad times, zones and
// durations, and (with a Gazetteer) unknown places are all errors. It
// returns every problem it finds as an ErrorList of "FILE:LINE:COL:
// message" errors, in file order, and no Config. On success the Config has
// its defaults filled in. Data over MaxSize bytes or nested deeper than
// MaxDepth is refused with one error before it is decoded.
func (l Loader) Parse(filename string, data []byte) (*Config, error) {
	if e := checkSize(filename, int64(len(data)), l.maxSize()); e != nil {
		return nil, ErrorList{e}
	}
	if e := checkDepth(filename, data, l.maxDepth()); e != nil {
		return nil, ErrorList{e}
	}
	d := &decoder{file: filename, env: l.LookupEnv}
	cfg := d.decode(data)
	if cfg == nil {
		return nil, d.errs.err()
	}
	cfg.Path = filename
	cfg.pos = d.pos
	errs := append(d.errs, check(cfg, l.Gazetteer)...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	return cfg, nil
}

// decode parses data into a Config, or returns nil after a YAML syntax
// error.
func (d *decoder) decode(data []byte) (cfg *Config) {
	file, err := parseYAML(data)
	if err != nil {
		d.syntaxError(err)
		return nil
	}
	var root ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if root != nil {
			at := posOf(doc.Body)
			if tk := doc.Start; tk != nil && tk.Position != nil {
				at = position{tk.Position.Line, tk.Position.Column}
			}
			d.errorf(at, "only one YAML document is allowed; remove the \"---\" line")
			break
		}
		root = doc.Body
	}
	if root != nil {
		d.collectAnchors(root)
	}
	return d.config(root)
}

// parseYAML runs goccy's parser; duplicate keys are left to the decoder,
// which reports them all.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed on this file: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
}

// syntaxError records a parse error at the position goccy gives.
func (d *decoder) syntaxError(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		at := position{1, 1}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			at = position{tk.Position.Line, tk.Position.Column}
		}
		d.errorf(at, "YAML syntax: %s", ye.GetMessage())
		return
	}
	d.errorf(position{1, 1}, "YAML syntax: %s", err.Error())
}
