package imap_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

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
