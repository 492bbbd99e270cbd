package bot

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/wirewatch/wirewatch/corpus"
)

// Debounce defaults of CorpusWatch.
const (
	// DefaultWatchQuiet is how long the corpus folder must be quiet after
	// a change before the scan starts: a file being written in pieces is
	// read once, when it is complete.
	DefaultWatchQuiet = 100 * time.Millisecond
	// DefaultWatchMaxWait bounds the wait when changes never stop.
	DefaultWatchMaxWait = time.Second
)

// CorpusWatch watches the corpus folder and every folder below it (but
// those a scan passes over: dot-names, testdata) for files created,
// written or moved in, so that the leader scans at once instead of at the
// next scheduled scan. The schedule stays as the safety net: when the
// folder cannot be watched (no inotify, too many folders for the system's
// watch limit) the watch says so once in the log and the schedule alone
// finds new files.
type CorpusWatch struct {
	Root string
	// Quiet and MaxWait debounce the changes (DefaultWatchQuiet and
	// DefaultWatchMaxWait when zero).
	Quiet, MaxWait time.Duration
	Log            *slog.Logger
}

// Run watches until ctx ends, calling changed after each burst of changes
// has been quiet for Quiet (or has gone on for MaxWait). It returns nil:
// a watch that fails leaves the schedule to find new files.
func (w *CorpusWatch) Run(ctx context.Context, changed func()) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		w.Log.Warn("corpus watch unavailable; new files are found by the scan schedule", "err", err)
		return nil
	}
	defer fw.Close()
	if err := w.addTree(fw, w.Root); err != nil {
		w.Log.Warn("cannot watch the corpus folder; new files are found by the scan schedule",
			"dir", w.Root, "err", err)
		return nil
	}
	w.Log.Debug("watching the corpus folder", "dir", w.Root, "folders", len(fw.WatchList()))
	quiet, maxWait := orDefault(w.Quiet, DefaultWatchQuiet), orDefault(w.MaxWait, DefaultWatchMaxWait)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time // of the burst waiting, zero when none
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if !w.relevant(fw, ev) {
				continue
			}
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			timer.Reset(min(quiet, first.Add(maxWait).Sub(now)))
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			// An overflow lost events: scan to be sure.
			w.Log.Warn("corpus watch: events lost; scanning", "err", err)
			changed()
		case <-timer.C:
			first = time.Time{}
			changed()
		}
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// relevant says whether ev may bring a document: a file created, written
// or moved in whose name a scan reads (not, say, a database file kept in
// the same folder, whose writes would start scan after scan), or a folder
// created (watched from
// now on, with what it holds already).
func (w *CorpusWatch) relevant(fw *fsnotify.Watcher, ev fsnotify.Event) bool {
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) {
		return false
	}
	name := filepath.Base(ev.Name)
	if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
		if !ev.Has(fsnotify.Create) || strings.HasPrefix(name, ".") || name == "testdata" {
			return false
		}
		if err := w.addTree(fw, ev.Name); err != nil {
			w.Log.Warn("cannot watch a new folder; its files are found by the scan schedule", "dir", ev.Name, "err", err)
		}
		return true
	}
	_, readable := corpus.FormatOf(name)
	return readable && !strings.HasPrefix(name, ".")
}

// addTree watches dir and the folders below it that a scan reads.
func (w *CorpusWatch) addTree(fw *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable folder is reported by the scans
		}
		if !d.IsDir() {
			return nil
		}
		if path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if err := fw.Add(path); err != nil {
			return errors.Join(err, errWatchLimit(err))
		}
		return nil
	})
}

// errWatchLimit explains the error of a watch refused for the system's
// limit on watches.
func errWatchLimit(err error) error {
	if strings.Contains(err.Error(), "no space left") || strings.Contains(err.Error(), "too many") {
		return errors.New("the system's limit on watched folders is reached (Linux: raise fs.inotify.max_user_watches)")
	}
	return nil
}
