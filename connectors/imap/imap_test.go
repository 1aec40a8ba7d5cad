package imap_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/imap"
	"github.com/dunnerhq/dunner/internal/testservers"
	goimap "github.com/emersion/go-imap/v2"
)

// memServer starts go-imap's in-memory server with one user.
func memServer(t *testing.T) imap.Config {
	t.Helper()
	addr := testservers.MemIMAP(t, "ar@dunner.test", "secret")
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return imap.Config{Host: host, Port: p, TLS: imap.TLSNone, Username: "ar@dunner.test", Password: "secret",
		Timeout: 5 * time.Second}
}

func TestAppendSentCreatesTheFolder(t *testing.T) {
	cfg := memServer(t)
	sent := &imap.SentFolder{Config: cfg}
	raw := []byte("Message-ID: <n1@northwind.example>\r\nSubject: Reminder\r\n\r\nPlease pay.\r\n")
	for i := 0; i < 2; i++ {
		if err := sent.AppendSent(context.Background(), raw, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	c, err := imap.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mbox, err := c.Select("Sent", nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if mbox.NumMessages != 2 {
		t.Fatalf("Sent has %d messages, want 2", mbox.NumMessages)
	}
	msgs, err := c.Fetch(goimap.SeqSetNum(1), &goimap.FetchOptions{Flags: true, RFC822Size: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].RFC822Size != int64(len(raw)) || len(msgs[0].Flags) != 1 || msgs[0].Flags[0] != goimap.FlagSeen {
		t.Errorf("stored %+v", msgs)
	}
}

func TestStalledServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			defer c.Close()
			time.Sleep(5 * time.Second) // never greets
		}
	}()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	p, _ := strconv.Atoi(port)
	start := time.Now()
	_, err = imap.Dial(context.Background(), imap.Config{Host: host, Port: p, TLS: imap.TLSNone, Username: "u",
		Password: "p", Timeout: 300 * time.Millisecond})
	if err == nil {
		t.Fatal("a server that never answers must fail the login")
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %v; the command timeout is 300ms", el)
	}
}

// TestPollBatchesByCountAndBytes: large messages make smaller batches,
// every message is handled once, in UID order, and filed after its batch
// is recorded.
func TestPollBatchesByCountAndBytes(t *testing.T) {
	cfg := memServer(t)
	c, err := imap.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{100, 100, 3000, 100, 100, 100, 2500, 2500, 100}
	for i, n := range sizes {
		raw := []byte("Message-ID: <m" + strconv.Itoa(i) + "@x.example>\r\nSubject: m\r\n\r\n")
		for len(raw) < n {
			raw = append(raw, "abcdefghij\r\n"...)
		}
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()

	p := &imap.Poller{Config: cfg, Batch: 4, BatchBytes: 4000, FileEvery: 1}
	var batches [][]uint32
	recorded := map[uint32]bool{}
	handle := func(raws []*agent.InboundRaw) ([]string, func() error, error) {
		var uids []uint32
		var total int
		folders := make([]string, len(raws))
		for i, r := range raws {
			uids = append(uids, r.UID)
			total += len(r.Data)
			folders[i] = "Done"
		}
		if len(raws) > 1 && total > 4000 {
			t.Errorf("batch %v holds %d bytes, over 4000", uids, total)
		}
		batches = append(batches, uids)
		return folders, func() error {
			for _, u := range uids {
				recorded[u] = true
			}
			return nil
		}, nil
	}
	var moved []uint32
	cp, err := p.Poll(context.Background(), "INBOX", agent.Checkpoint{}, nil, handle, func(uids []uint32) error {
		for _, u := range uids {
			if !recorded[u] {
				t.Errorf("uid %d filed before its batch was recorded", u)
			}
		}
		moved = append(moved, uids...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen []uint32
	for _, b := range batches {
		if len(b) > 4 {
			t.Errorf("batch %v over 4 messages", b)
		}
		seen = append(seen, b...)
	}
	if len(seen) != len(sizes) || len(moved) != len(sizes) || cp.LastUID != seen[len(seen)-1] {
		t.Fatalf("handled %v, moved %v, checkpoint %+v", seen, moved, cp)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("not in UID order: %v", seen)
		}
	}
	// Four messages at most, and 4000 bytes unless one message alone is
	// larger: 100+100+3000+100 | 100+100+2500 | 2500+100.
	if fmt.Sprint(batches) != "[[1 2 3 4] [5 6 7] [8 9]]" {
		t.Errorf("batches %v", batches)
	}
}
