// Package buildinfo says which build of wirewatch is running: its version,
// the commit it was built from and the Go version, read from the binary's
// build information.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version, when set at build time (go build -ldflags "-X
// github.com/wirewatch/wirewatch/internal/buildinfo.Version=v1.2.3"),
// overrides the module version recorded in the binary.
var Version string

// Info is what the binary knows of its build.
type Info struct {
	// Version is the release ("v1.2.3"), or "(devel)" for a build from a
	// checkout.
	Version string
	// Commit is the VCS revision, "unknown" when the build did not record
	// one (go build -buildvcs=false, or no .git).
	Commit string
	// Modified is true when the checkout had uncommitted changes.
	Modified bool
	// Go is the Go version the binary was built with.
	Go string
}

// Read returns the running binary's build information.
func Read() Info {
	info := Info{Version: Version, Commit: "unknown", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if info.Version == "" {
			info.Version = bi.Main.Version
		}
		info.Go = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	return info
}

// String is the line `bot version` prints: "wirewatch v1.2.3 (commit
// 1a2b3c4, go1.26.0)".
func (i Info) String() string {
	commit := i.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if i.Modified {
		commit += "+modified"
	}
	return fmt.Sprintf("wirewatch %s (commit %s, %s)", i.Version, commit, i.Go)
}
