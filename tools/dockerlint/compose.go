package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

// lintCompose loads a compose file as `docker compose config` does (schema
// validation, interpolation, consistency: every depends_on names a service,
// every named volume is declared) and prints its services on w. An .env
// beside the file is not read, so the check does not depend on local
// secrets.
func lintCompose(ctx context.Context, path string, w io.Writer) error {
	opts, err := cli.NewProjectOptions([]string{path},
		cli.WithWorkingDirectory(filepath.Dir(path)),
		cli.WithDiscardEnvFile,
		cli.WithConsistency(true),
		cli.WithResolvedPaths(false),
	)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p, err := opts.LoadProject(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(w, "%s: project %s, services %v: no findings\n", path, p.Name, p.ServiceNames())
	return nil
}
