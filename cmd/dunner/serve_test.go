package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// TestServe starts the daemon, uses the review UI's API and stops it.
func TestServe(t *testing.T) {
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", replayConfig)
	h.ok("import", "ledger", h.write("l.csv", "customer_id,invoice,due_date,currency,open_amount\nD,D-1,2026-02-20,USD,100.00\n"))
	h.ok("run", "--as-of", "2026-03-02")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"--config", h.config, "serve", "--listen", "127.0.0.1:0"},
			Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard, Clock: testClock,
				Getenv: func(k string) string { return h.env[k] }})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "dunner serving on "))
	res, err := http.Get(base + "/api/drafts")
	if err != nil {
		t.Fatal(err)
	}
	var drafts []agent.Draft
	json.NewDecoder(res.Body).Decode(&drafts)
	if len(drafts) != 1 || drafts[0].CustomerID != "D" || drafts[0].State != agent.Drafted {
		t.Fatalf("drafts over the API: %+v", drafts)
	}
	id := drafts[0].ID
	// D is reviewed always: a collector approves it in the UI's API.
	res, _ = http.Post(base+"/api/drafts/"+itoa64(id)+"/approve", "application/json", nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("approve: %d", res.StatusCode)
	}
	for _, p := range []string{"/healthz", "/metrics", "/"} {
		if res, err := http.Get(base + p); err != nil || res.StatusCode != 200 {
			t.Errorf("%s: %v %v", p, res, err)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }
