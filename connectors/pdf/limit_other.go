//go:build !linux

package pdf

// limitMemory is a no-op where RLIMIT_AS is not available; the worker's
// soft memory limit (debug.SetMemoryLimit) still applies.
func limitMemory(bytes uint64) {}
