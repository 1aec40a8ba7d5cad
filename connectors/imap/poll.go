package imap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Poller reads new messages from a mailbox's folders.
type Poller struct {
	Config Config
	// MaxBytes caps a message; a larger one is handed over without its
	// content (default 25 MiB).
	MaxBytes int64
	// SpoolDir holds messages over SpoolAbove bytes while they are
	// processed, instead of memory (default: the system temp dir).
	SpoolDir   string
	SpoolAbove int64
	// Batch is how many messages one FETCH asks for (default 100), and
	// BatchBytes about how many bytes of mail (default 16 MiB).
	Batch      int
	BatchBytes int64
	// FileEvery is how many handled messages are filed with one MOVE per
	// folder (default 2500); a poll's last ones are filed at its end.
	FileEvery int
}

var _ agent.Mailbox = (*Poller)(nil)

// Poll hands every message after the checkpoint to handle, in UID order,
// and moves it where handle says. A changed UIDVALIDITY means the UIDs
// were renumbered: the folder is read again from its start, and handle
// recognises what it has seen by Message-ID and content.
func (p *Poller) Poll(ctx context.Context, folder string, cp agent.Checkpoint, pending []agent.PendingMove,
	handle func([]*agent.InboundRaw) ([]string, func() error, error), moved func(uids []uint32) error) (agent.Checkpoint, error) {
	cfg := p.Config
	cfg.defaults()
	c, err := Dial(ctx, cfg)
	if err != nil {
		return cp, err
	}
	defer c.Close()
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		return cp, fmt.Errorf("imap: select %s: %w", folder, err)
	}
	if sel.UIDValidity != cp.UIDValidity {
		cp = agent.Checkpoint{UIDValidity: sel.UIDValidity}
		pending = nil // their UIDs mean nothing any more
	}
	caps := c.Caps()
	delim := delimiter(c)
	// Moves left over from a run that stopped between processing a
	// message and moving it.
	if err := p.moveAll(c, caps, pending, delim, moved); err != nil {
		return cp, err
	}
	if sel.NumMessages == 0 || (sel.UIDNext != 0 && uint32(sel.UIDNext) <= cp.LastUID+1) {
		return cp, c.Logout().Wait()
	}
	batches, err := p.batches(c, cp.LastUID)
	if err != nil {
		return cp, fmt.Errorf("imap: list new messages in %s: %w", folder, err)
	}
	// The next batch is fetched while this one is handled and filed: the
	// server and the classifier work side by side. go-imap's client takes
	// commands from several goroutines; all of them name messages by UID.
	type fetched struct {
		raws []*agent.InboundRaw
		err  error
	}
	fctx, stop := context.WithCancel(ctx)
	next := make(chan fetched, 1)
	go func() {
		defer close(next)
		for _, uids := range batches {
			raws, err := p.fetch(fctx, c, folder, sel.UIDValidity, uids)
			select {
			case next <- fetched{raws, err}:
			case <-fctx.Done():
				removeSpools(raws)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		stop()
		for f := range next {
			removeSpools(f.raws)
		}
	}()
	// Batches are filed by their own goroutine, in order, each once it is
	// recorded: handling the next batches does not wait for the server
	// to move the last ones. Fetching, handling (with its recording) and
	// filing each run at their own pace, two batches apart at most. Moves
	// are gathered over FileEvery messages: each MOVE makes the server
	// rework the folder's index, which in a folder of thousands cost more
	// than reading the mail.
	type filing struct {
		moves []agent.PendingMove
		saved func() error
	}
	toFile := make(chan filing, 2)
	filed := make(chan error, 1)  // the filer's result, once toFile is closed
	failed := make(chan struct{}) // closed at the filer's first error
	go func() {
		var err error
		var pend []agent.PendingMove
		for f := range toFile {
			if err != nil {
				f.saved() // let the handler finish before Poll returns
				continue
			}
			if err = f.saved(); err == nil {
				pend = append(pend, f.moves...)
				if len(pend) >= p.fileEvery() {
					err = p.moveAll(c, caps, pend, delim, moved)
					pend = nil
				}
			}
			if err != nil {
				close(failed)
			}
		}
		if err == nil && len(pend) > 0 {
			err = p.moveAll(c, caps, pend, delim, moved)
		}
		filed <- err
	}()
	finish := func(err error) error {
		close(toFile)
		if ferr := <-filed; err == nil {
			err = ferr
		}
		return err
	}
	for f := range next {
		if f.err != nil {
			// What was processed is recorded with its folder; the next
			// poll files it. This connection is in no state to go on.
			return cp, finish(f.err)
		}
		moves, saved, err := p.handle(f.raws, handle)
		removeSpools(f.raws)
		if err != nil {
			return cp, finish(err)
		}
		select {
		case toFile <- filing{moves, saved}:
		case <-failed:
			saved()
			return cp, finish(nil)
		}
		for _, m := range moves {
			cp.LastUID = max(cp.LastUID, m.UID)
		}
	}
	if err := finish(nil); err != nil {
		return cp, err
	}
	return cp, c.Logout().Wait()
}

func (p *Poller) fileEvery() int {
	if p.FileEvery > 0 {
		return p.FileEvery
	}
	return 2500
}

// batches lists the messages after lastUID with their sizes (one round
// trip) and cuts them into batches of at most Batch messages and about
// BatchBytes: three batches are in memory at once (being filed, handled
// and fetched), and a mailbox of large scans must not take gigabytes.
func (p *Poller) batches(c *imapclient.Client, lastUID uint32) ([][]goimap.UID, error) {
	var set goimap.UIDSet
	set.AddRange(goimap.UID(lastUID+1), 0) // 0 is "*"
	msgs, err := c.Fetch(set, &goimap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, err
	}
	// "n:*" always matches the last message, even below n.
	kept := msgs[:0]
	for _, m := range msgs {
		if uint32(m.UID) > lastUID {
			kept = append(kept, m)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].UID < kept[j].UID })
	count, maxBytes := p.Batch, p.BatchBytes
	if count <= 0 {
		count = 100
	}
	if maxBytes <= 0 {
		maxBytes = 16 << 20
	}
	capBytes := p.MaxBytes
	if capBytes <= 0 {
		capBytes = 25 << 20
	}
	var out [][]goimap.UID
	var cur []goimap.UID
	var size int64
	for _, m := range kept {
		n := min(m.RFC822Size, capBytes) // a message over the cap is not kept
		if len(cur) > 0 && (len(cur) >= count || size+n > maxBytes) {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, m.UID)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// handle hands a fetched batch over and pairs each message with its folder.
func (p *Poller) handle(raws []*agent.InboundRaw, handle func([]*agent.InboundRaw) ([]string, func() error, error)) (
	[]agent.PendingMove, func() error, error) {
	if len(raws) == 0 {
		return nil, func() error { return nil }, nil
	}
	targets, saved, err := handle(raws)
	if err != nil {
		return nil, nil, err
	}
	done := make([]agent.PendingMove, len(raws))
	for i, r := range raws {
		done[i] = agent.PendingMove{UID: r.UID, Folder: targets[i]}
	}
	return done, saved, nil
}

func removeSpools(raws []*agent.InboundRaw) {
	for _, r := range raws {
		if r.File != "" {
			os.Remove(r.File)
		}
	}
}

// moveAll files messages with one UID MOVE per folder: a round trip per
// message was most of a poll's time.
func (p *Poller) moveAll(c *imapclient.Client, caps goimap.CapSet, moves []agent.PendingMove, delim rune,
	moved func(uids []uint32) error) error {
	byFolder := map[string][]uint32{}
	var folders []string
	for _, m := range moves {
		if m.Folder == "" {
			continue
		}
		if byFolder[m.Folder] == nil {
			folders = append(folders, m.Folder)
		}
		byFolder[m.Folder] = append(byFolder[m.Folder], m.UID)
	}
	for _, f := range folders {
		if err := p.move(c, caps, byFolder[f], folderName(f, delim)); err != nil {
			return err
		}
		if err := moved(byFolder[f]); err != nil {
			return err
		}
	}
	return nil
}

// delimiter asks the server for its hierarchy separator: "/" on some,
// "." on Maildir++ servers such as Dovecot's default.
func delimiter(c *imapclient.Client) rune {
	list, err := c.List("", "", nil).Collect()
	if err != nil || len(list) == 0 || list[0].Delim == 0 {
		return '/'
	}
	return list[0].Delim
}

// folderName writes a configured folder path ("Dunner/Disputes") with the
// server's separator.
func folderName(name string, delim rune) string {
	if delim == '/' {
		return name
	}
	return strings.ReplaceAll(name, "/", string(delim))
}

// fetch reads one batch with BODY.PEEK[] (nothing gets marked read by
// accident), in UID order; a large message goes to a spool file, which the
// caller removes.
func (p *Poller) fetch(ctx context.Context, c *imapclient.Client, folder string, uidValidity uint32,
	uids []goimap.UID) (raws []*agent.InboundRaw, err error) {
	maxBytes := p.MaxBytes
	if maxBytes <= 0 {
		maxBytes = 25 << 20
	}
	spoolAbove := p.SpoolAbove
	if spoolAbove <= 0 {
		spoolAbove = 1 << 20
	}
	set := goimap.UIDSetNum(uids...)
	cmd := c.Fetch(set, &goimap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true,
		BodySection: []*goimap.FetchItemBodySection{{Peek: true}}})
	// On an error the command is not drained: the connection is broken or
	// about to be closed by the caller, and draining a half-read literal
	// races with go-imap's reader.
	defer func() {
		if err != nil {
			removeSpools(raws)
			raws = nil
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return raws, err
		}
		msg := cmd.Next()
		if msg == nil {
			break
		}
		raw := &agent.InboundRaw{Mailbox: p.Config.Username, Folder: folder, UIDValidity: uidValidity}
		raws = append(raws, raw)
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				raw.UID = uint32(it.UID)
			case imapclient.FetchItemDataRFC822Size:
				raw.Size = it.Size
			case imapclient.FetchItemDataInternalDate:
				raw.Received = it.Time
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				f, data, n, err := read(it.Literal, maxBytes, spoolAbove, p.SpoolDir)
				if f != nil {
					// Closed now, removed after the batch: handle reads it
					// by name.
					f.Close()
					raw.File = f.Name()
				}
				if err == nil && n < it.Literal.Size() {
					err = fmt.Errorf("message cut short at %d of %d bytes", n, it.Literal.Size())
				}
				if err != nil {
					return raws, fmt.Errorf("imap: fetch uid %d: %w", raw.UID, err)
				}
				raw.Data, raw.Size = data, max(raw.Size, n)
				raw.TooLarge = n > maxBytes
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return raws, fmt.Errorf("imap: fetch: %w", err)
	}
	// A message expunged meanwhile comes back without a UID or body.
	kept := raws[:0]
	for _, r := range raws {
		if r.UID != 0 {
			kept = append(kept, r)
		}
	}
	raws = kept
	sort.Slice(raws, func(i, j int) bool { return raws[i].UID < raws[j].UID })
	return raws, nil
}

// read takes a message's literal into memory, or into a spool file when it
// is large; past maxBytes it keeps nothing and only counts.
func read(r io.Reader, maxBytes, spoolAbove int64, dir string) (*os.File, []byte, int64, error) {
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, spoolAbove)
	if errors.Is(err, io.EOF) {
		return nil, buf.Bytes(), n, nil
	}
	if err != nil {
		return nil, nil, n, err
	}
	f, err := os.CreateTemp(dir, "dunner-mail-*.eml")
	if err != nil {
		return nil, nil, n, err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, n, err
	}
	m, err := io.Copy(f, io.LimitReader(r, maxBytes-n+1))
	n += m
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, n, err
	}
	if n > maxBytes {
		rest, _ := io.Copy(io.Discard, r)
		f.Close()
		os.Remove(f.Name())
		return nil, nil, n + rest, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, n, err
	}
	return f, nil, n, nil
}

// move files a message by UID. Only MOVE, or UIDPLUS's COPY + UID
// EXPUNGE, touch just that message; a plain EXPUNGE would also remove mail
// others marked deleted, so without either the message stays put.
func (p *Poller) move(c *imapclient.Client, caps goimap.CapSet, uids []uint32, folder string) error {
	if folder == "" || len(uids) == 0 {
		return nil
	}
	var set goimap.UIDSet
	for _, u := range uids {
		set.AddNum(goimap.UID(u))
	}
	try := func() error {
		switch {
		case caps.Has(goimap.CapMove) || caps.Has(goimap.CapIMAP4rev2):
			_, err := c.Move(set, folder).Wait()
			return err
		case caps.Has(goimap.CapUIDPlus):
			if _, err := c.Copy(set, folder).Wait(); err != nil {
				return err
			}
			if err := c.Store(set, &goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Silent: true,
				Flags: []goimap.Flag{goimap.FlagDeleted}}, nil).Close(); err != nil {
				return err
			}
			return c.UIDExpunge(set).Close()
		}
		return nil
	}
	err := try()
	var ie *goimap.Error
	if errors.As(err, &ie) && ie.Code == goimap.ResponseCodeTryCreate {
		if cerr := c.Create(folder, nil).Wait(); cerr != nil {
			return fmt.Errorf("imap: create %s: %w", folder, cerr)
		}
		err = try()
	}
	if err != nil {
		return fmt.Errorf("imap: move %d messages to %s: %w", len(uids), folder, err)
	}
	return nil
}
