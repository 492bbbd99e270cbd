// Package dotenv reads a .env file: the settings a developer keeps beside
// the code instead of exporting them in every shell. Variables set in the
// environment win over the file.
//
// The format is docker compose's: one KEY=VALUE per line; blank lines and
// lines starting with # are ignored; "export " before a key is allowed; a
// value may be 'single-quoted' (taken as written) or "double-quoted"
// (\n, \t, \" and \\ are escapes); an unquoted value ends at " #".
package dotenv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Load reads the file at path. A missing file is no error: it returns
// an empty map.
func Load(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads .env lines from r; name labels errors as NAME:LINE.
func Parse(r io.Reader, name string) (map[string]string, error) {
	vars := map[string]string{}
	sc := bufio.NewScanner(r)
	var errs []error
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || !validKey(key) {
			errs = append(errs, fmt.Errorf("%s:%d: want KEY=VALUE, e.g. BOT_DB=./data/wirewatch.db", name, n))
			continue
		}
		v, err := value(strings.TrimSpace(val))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %w", name, n, key, err))
			continue
		}
		vars[key] = v
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("reading %s: %w", name, err))
	}
	return vars, errors.Join(errs...)
}

func validKey(k string) bool {
	if k == "" || k[0] >= '0' && k[0] <= '9' {
		return false
	}
	for _, c := range k {
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var errUnterminated = errors.New("the quote is not closed on this line")

func value(s string) (string, error) {
	switch {
	case strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", errUnterminated
		}
		return s[1 : end+1], nil
	case strings.HasPrefix(s, `"`):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; {
			case c == '"':
				return b.String(), nil
			case c == '\\' && i+1 < len(s):
				i++
				b.WriteByte(unescape(s[i]))
			default:
				b.WriteByte(c)
			}
		}
		return "", errUnterminated
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s), nil
}

// unescape returns the byte that a backslash before c stands for: \n, \t
// and \r are controls; \", \\ and any other \c are c.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	}
	return c
}

// Lookup returns a lookup of the environment (lookupEnv, usually
// os.LookupEnv) that falls back to vars: a variable set in the
// environment, even to "", wins over the file.
func Lookup(lookupEnv func(string) (string, bool), vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		if v, ok := lookupEnv(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}
}
