package sqlite

import (
	"encoding/binary"
	"hash/fnv"
	"io"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

// Databases hold fingerprints made with hash/fnv: a different hash would
// count every item of the next import as changed.
func TestFingerprintStable(t *testing.T) {
	it := &agent.Item{CustomerName: "Acme", Currency: "EUR", PONumber: "PO-1", DunningBlock: "B",
		IssueDate: agent.MustDate("2026-01-04"), DueDate: agent.MustDate("2026-02-03")}
	amount, open, extra := "1328.47", "100.00", `{"region":"north"}`
	h := fnv.New64a()
	var buf [8]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(it.IssueDate))
	binary.LittleEndian.PutUint32(buf[4:], uint32(it.DueDate))
	h.Write(buf[:])
	for _, s := range []string{it.CustomerName, it.Currency, amount, open, it.PONumber, it.DunningBlock, extra} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	if got, want := fingerprint(it, []byte(amount), []byte(open), []byte(extra)), int64(h.Sum64()); got != want {
		t.Fatalf("fingerprint = %x, want %x", got, want)
	}
}
