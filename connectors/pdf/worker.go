package pdf

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
)

// workerEnv marks the child process of Parser.Isolate. The child is this
// same executable: init below takes over before main runs, so any binary
// that links this package (dunner, a test binary) can be its own worker
// without a separate program to install.
const workerEnv = "DUNNER_PDF_WORKER"

// workerMemory caps the child's address space.
const workerMemory = 2 << 30

func init() {
	if os.Getenv(workerEnv) != "1" {
		return
	}
	os.Exit(runWorker(os.Stdin, os.Stdout))
}

// workerResult is what the child sends back.
type workerResult struct {
	Pages []page
	Kind  string // engineError kind, "" on success
	Msg   string
}

func runWorker(in io.Reader, out io.Writer) int {
	limitMemory(workerMemory)
	debug.SetMemoryLimit(workerMemory / 2)
	data, err := io.ReadAll(io.LimitReader(in, 256<<20))
	if err != nil {
		return 1
	}
	var res workerResult
	func() {
		defer func() {
			if r := recover(); r != nil {
				res = workerResult{Kind: "panic", Msg: fmt.Sprint(r)}
			}
		}()
		pages, err := extractNative(data)
		if err != nil {
			res.Kind, res.Msg = "invalid", err.Error()
			if ee, ok := err.(*engineError); ok {
				res.Kind, res.Msg = ee.kind, ee.msg
			}
			return
		}
		res.Pages = pages
	}()
	if err := gob.NewEncoder(out).Encode(&res); err != nil {
		return 1
	}
	return 0
}

// isolated runs extractNative in a child process with a time and memory
// limit; whatever happens there, this process goes on.
func (p *Parser) isolated(data []byte) ([]page, error) {
	exe, err := os.Executable()
	if err != nil {
		return contain(p.timeout(), func() ([]page, error) { return extractNative(data) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stdin = bytes.NewReader(data)
	var stdout bytes.Buffer
	cmd.Stdout = &limitWriter{w: &stdout, n: 256 << 20}
	cmd.Stderr = io.Discard
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, &engineError{kind: "timeout", msg: p.timeout().String()}
		}
		return nil, &engineError{kind: "panic", msg: "the PDF worker died: " + err.Error()}
	}
	var res workerResult
	if err := gob.NewDecoder(&stdout).Decode(&res); err != nil {
		return nil, &engineError{kind: "panic", msg: "the PDF worker's answer is unreadable: " + err.Error()}
	}
	if res.Kind != "" {
		return nil, &engineError{kind: res.Kind, msg: res.Msg}
	}
	return res.Pages, nil
}
