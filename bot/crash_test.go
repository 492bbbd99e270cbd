package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// The crash test runs this binary again as a child that delivers the
// outbox; see TestMain.
const crashChildEnv = "WIREWATCH_CRASH_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(crashChildEnv); spec != "" {
		os.Exit(crashChild(spec))
	}
	if spec := os.Getenv(scanChildEnv); spec != "" {
		os.Exit(scanChild(spec))
	}
	os.Exit(m.Run())
}

// fileTransport appends every message's text to a file, one line each,
// and echoes it on stdout so the parent can follow progress.
type fileTransport struct {
	mu  sync.Mutex
	out *os.File
}

func (f *fileTransport) Name() string { return "test" }

func (f *fileTransport) Send(_ context.Context, m chat.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.out.WriteString(m.Text + "\n"); err != nil {
		return "", err
	}
	fmt.Println(m.Text)
	return m.Text, nil
}

// crashChild delivers the outbox of db (spec "db|outfile") until it is
// empty, then exits 0.
func crashChild(spec string) int {
	dbPath, outPath, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	out, err := os.OpenFile(outPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	d := &Deliverer{Store: db, Transports: map[string]chat.Transport{"test": &fileTransport{out: out}},
		Renderer: &Renderer{Store: db}, Clock: SystemClock{}, Log: slog.New(slog.DiscardHandler), Every: time.Nanosecond}
	if _, err := db.ResetInflight(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	for {
		n, _, err := d.DeliverDue(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		if n == 0 {
			stats, err := db.OutboxStats(ctx)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3
			}
			if stats[store.Pending]+stats[store.Sending] == 0 {
				return 0
			}
		}
	}
}

func TestCrashMidDeliveryLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	dbPath, outPath := filepath.Join(dir, "outbox.db"), filepath.Join(dir, "delivered.txt")
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	const total = 1000
	for i := range total {
		b, _ := json.Marshal(chat.Message{Kind: chat.KindAlert, Text: fmt.Sprintf("alert-%04d", i)})
		if _, err := db.Enqueue(ctx, store.OutboxRow{Key: fmt.Sprintf("k%04d", i), Transport: "test",
			Channel: fmt.Sprintf("C%d", i%7), Kind: "digest", Payload: b}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dbPath+"|"+outPath)
		cmd.Stderr = os.Stderr
		return cmd
	}
	// First run: kill it hard once 300 messages went out.
	first := child()
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	seen := 0
	for seen < 300 && sc.Scan() {
		seen++
	}
	if seen < 300 {
		t.Fatalf("child delivered only %d before exiting", seen)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait() //nolint:errcheck // killed on purpose
	// Second run: finish the outbox.
	second := child()
	second.Stdout = nil
	if out, err := second.Output(); err != nil {
		t.Fatalf("restarted child: %v (%d bytes out)", err, len(out))
	}

	data, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		counts[l]++
	}
	twice := 0
	for i := range total {
		k := fmt.Sprintf("alert-%04d", i)
		switch c := counts[k]; {
		case c == 0:
			t.Errorf("%s never delivered", k)
		case c == 2:
			twice++
		case c > 2:
			t.Errorf("%s delivered %d times", k, c)
		}
	}
	if twice > 1 {
		t.Errorf("%d alerts delivered twice; only the one in flight at the kill may be", twice)
	}
	if len(counts) != total {
		t.Errorf("%d distinct lines, want %d", len(counts), total)
	}
	db, err = sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stats, _ := db.OutboxStats(ctx)
	if stats[store.Sent] != total {
		t.Errorf("outbox after restart: %v, want %d sent", stats, total)
	}
	t.Logf("killed after %d deliveries; %d delivered twice", seen, twice)
}
