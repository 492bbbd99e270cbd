// Command dockerlint checks the container files without a Docker engine.
// For a Dockerfile it runs the build checks of BuildKit's Dockerfile
// frontend (those of `docker build --check`) and prints one line per
// finding; base images are not fetched but taken as empty Linux images, so
// checks that need a base image's own settings see none. For a compose
// file (a name ending in .yaml or .yml) it loads the file as
// `docker compose config` does. Exit status 1 when there is a finding or a
// file does not load.
//
//	cd tools/dockerlint && go run . ../../Dockerfile ../../compose.yaml
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerlint DOCKERFILE|COMPOSE-FILE...")
		os.Exit(2)
	}
	ctx := context.Background()
	code := 0
	for _, path := range os.Args[1:] {
		var err error
		if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
			err = lintCompose(ctx, path, os.Stdout)
		} else {
			var n int
			if n, err = lint(ctx, path, os.Stdout); err == nil && n == 0 {
				fmt.Printf("%s: no findings\n", path)
			} else if n > 0 {
				code = 1
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// lint prints the findings for the Dockerfile at path on w and returns how
// many there were.
func lint(ctx context.Context, path string, w io.Writer) (int, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("dockerlint: %w", err)
	}
	def, err := llb.Scratch().Marshal(ctx)
	if err != nil {
		return 0, fmt.Errorf("dockerlint: %w", err)
	}
	sm := llb.NewSourceMap(nil, path, "Dockerfile", dt)
	sm.Definition = def
	res, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
		AllStages: true, SourceMap: sm, MetaResolver: offline{},
	})
	if err != nil {
		return 0, fmt.Errorf("dockerlint: %w", err)
	}
	for _, f := range res.Warnings {
		line := int32(0)
		if len(f.Location.Ranges) > 0 {
			line = f.Location.Ranges[0].Start.Line
		}
		fmt.Fprintf(w, "%s:%d: %s: %s (%s)\n", path, line, f.RuleName, f.Detail, f.URL)
	}
	if res.Error != nil {
		return 0, fmt.Errorf("%s: %s", path, res.Error.Message)
	}
	return len(res.Warnings), nil
}

// offline resolves every base image to an empty Linux image, so nothing is
// fetched.
type offline struct{}

func (offline) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux",
		"config": map[string]any{"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		"rootfs": map[string]any{"type": "layers"},
	})
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(cfg), cfg, nil
}
