//go:build unix

package sqlite

import (
	"bufio"
	"os"
	"os/exec"
	"testing"
)

// startHolder runs the helper test named helper in another process of
// this test binary, with env ("NAME=value") added, and returns once the
// helper has said want: it then holds what it took until it is killed
// (the test does so, or the cleanup) or its standard input closes.
func startHolder(t *testing.T, helper, env, want string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$")
	cmd.Env = append(os.Environ(), env)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill() //nolint:errcheck // it may be gone already
		cmd.Wait()         //nolint:errcheck // killed
	})
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != want+"\n" {
		t.Fatalf("%s said %q, %v", helper, line, err)
	}
	return cmd
}

// kill ends a holder started by startHolder without giving it a chance to
// give back what it holds.
func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() //nolint:errcheck // killed
}
