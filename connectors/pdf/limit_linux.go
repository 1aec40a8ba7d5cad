package pdf

import "syscall"

// limitMemory caps the worker's address space, so a decompression bomb
// ends the child with an allocation failure instead of swapping the host.
func limitMemory(bytes uint64) {
	lim := syscall.Rlimit{Cur: bytes, Max: bytes}
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &lim)
}
