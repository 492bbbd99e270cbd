package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileTimesName is the name of an optional manifest in a corpus folder that
// records its files' original modification times. Version control does not
// keep file times, so a corpus kept in git (like the sample corpus) loses
// them on checkout; the manifest restores the date of documents that carry
// none of their own. Each line is a file name in that folder, a tab or
// spaces, and an RFC 3339 time; blank lines and lines starting with # are
// ignored. The manifest affects only the fallback date: whether a file
// changed is still decided by its real size and modification time.
const FileTimesName = ".filetimes"

// fileTime returns the time to date an undated document of the file at path
// with: the time its folder's manifest records for it, else mod.
func (p *Parser) fileTime(path string, mod time.Time) time.Time {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(path), FileTimesName))
	if err != nil {
		return mod
	}
	times, err := ParseFileTimes(data)
	if err != nil {
		p.logger().Warn("corpus: ignoring bad file-times manifest", "dir", filepath.Dir(path), "err", err)
		return mod
	}
	if t, ok := times[filepath.Base(path)]; ok {
		return t
	}
	return mod
}

// ParseFileTimes parses a FileTimesName manifest into file name -> time.
func ParseFileTimes(data []byte) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("line %d: want a file name and an RFC 3339 time", n)
		}
		t, err := time.Parse(time.RFC3339, f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out[f[0]] = t.UTC()
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading file times: %w", err)
	}
	return out, nil
}
