// Package profiling writes pprof profiles and an execution trace of the
// whole process, for measuring the real command (docs/development.md).
package profiling

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// Start starts a CPU profile into cpuFile and an execution trace into
// traceFile, and arranges a heap profile into heapFile, each when its name
// is not empty. The returned function stops the CPU profile and the trace
// and writes the heap profile; a profile that cannot be written is
// reported on standard error and skipped, never failing the command.
func Start(cpuFile, heapFile, traceFile string) (stop func()) {
	var cpu *os.File
	if cpuFile != "" {
		f, err := os.Create(cpuFile)
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpu profile:", err)
		} else {
			cpu = f
		}
	}
	tr := startTrace(traceFile)
	return func() {
		if tr != nil {
			trace.Stop()
			if err := tr.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "trace:", err)
			}
		}
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "cpu profile:", err)
			}
		}
		if heapFile != "" {
			if err := writeHeap(heapFile); err != nil {
				fmt.Fprintln(os.Stderr, "heap profile:", err)
			}
		}
	}
}

// startTrace starts an execution trace into name, when it is not empty,
// and returns its file (nil when there is no trace).
func startTrace(name string) *os.File {
	if name == "" {
		return nil
	}
	f, err := os.Create(name)
	if err == nil {
		if err = trace.Start(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trace:", err)
		return nil
	}
	return f
}

// writeHeap writes the allocations since start and, as of a collection
// made now, what is live.
func writeHeap(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	err = pprof.Lookup("allocs").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
