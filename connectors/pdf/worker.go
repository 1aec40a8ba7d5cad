package pdf

import (
	"bufio"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
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

// runWorker serves documents until its input ends: each request is a
// 4-byte big-endian length and the PDF, each answer one gob value. A child
// that lives on saves the ~10 ms of CPU a process start costs, which is
// more than reading a typical advice; one that fails is replaced.
func runWorker(in io.Reader, out io.Writer) int {
	limitMemory(workerMemory)
	debug.SetMemoryLimit(workerMemory / 2)
	br := bufio.NewReader(in)
	bw := bufio.NewWriter(out)
	enc := gob.NewEncoder(bw)
	for {
		var n uint32
		if err := binary.Read(br, binary.BigEndian, &n); err != nil {
			return 0 // the parent is done with us
		}
		if n > maxDocument {
			return 1
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(br, data); err != nil {
			return 1
		}
		res := work(data)
		if err := enc.Encode(&res); err != nil {
			return 1
		}
		if err := bw.Flush(); err != nil {
			return 1
		}
	}
}

// maxDocument bounds one request.
const maxDocument = 256 << 20

func work(data []byte) (res workerResult) {
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
		return res
	}
	return workerResult{Pages: pages}
}

// worker is one running child.
type worker struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	dec  *gob.Decoder
	uses int
}

// workerUses retires a child after this many documents, so memory a
// strange file left behind does not stay for good.
const workerUses = 200

// workers keeps idle children for the next document.
var workers = struct {
	sync.Mutex
	idle []*worker
}{}

func startWorker() (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stderr = io.Discard
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &worker{cmd: cmd, in: in, dec: gob.NewDecoder(bufio.NewReader(out))}, nil
}

func (w *worker) stop() {
	w.in.Close()
	w.cmd.Process.Kill()
	w.cmd.Wait()
}

func takeWorker() (*worker, error) {
	workers.Lock()
	if n := len(workers.idle); n > 0 {
		w := workers.idle[n-1]
		workers.idle = workers.idle[:n-1]
		workers.Unlock()
		return w, nil
	}
	workers.Unlock()
	return startWorker()
}

func putWorker(w *worker) {
	w.uses++
	workers.Lock()
	defer workers.Unlock()
	if w.uses >= workerUses || len(workers.idle) >= runtime.GOMAXPROCS(0) {
		go w.stop()
		return
	}
	workers.idle = append(workers.idle, w)
}

// isolated runs extractNative in a child process with a time and memory
// limit; whatever happens there, this process goes on.
func (p *Parser) isolated(data []byte) ([]page, error) {
	if len(data) > maxDocument {
		return nil, &engineError{kind: "invalid", msg: "document too large"}
	}
	w, err := takeWorker()
	if err != nil {
		return contain(p.timeout(), func() ([]page, error) { return extractNative(data) })
	}
	type answer struct {
		res workerResult
		err error
	}
	done := make(chan answer, 1)
	go func() {
		var a answer
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], uint32(len(data)))
		if _, a.err = w.in.Write(hdr[:]); a.err == nil {
			if _, a.err = w.in.Write(data); a.err == nil {
				a.err = w.dec.Decode(&a.res)
			}
		}
		done <- a
	}()
	t := time.NewTimer(p.timeout())
	defer t.Stop()
	select {
	case a := <-done:
		if a.err != nil {
			w.stop()
			return nil, &engineError{kind: "panic", msg: "the PDF worker died: " + a.err.Error()}
		}
		putWorker(w)
		if a.res.Kind != "" {
			return nil, &engineError{kind: a.res.Kind, msg: a.res.Msg}
		}
		return a.res.Pages, nil
	case <-t.C:
		w.stop() // its goroutine above ends with the pipe
		return nil, &engineError{kind: "timeout", msg: p.timeout().String()}
	}
}
