// Package smtp delivers notices: over SMTP, or as RFC 5322 .eml files into
// an outbox directory when no server is configured (the demo's default).
// go-mail builds every message either way.
package smtp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
	"github.com/wneessen/go-mail"
)

// Outbox writes one file per message.
type Outbox struct {
	Dir string
}

var _ agent.Mailer = (*Outbox)(nil)

// NewOutbox returns an outbox writing into dir, creating it.
func NewOutbox(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{Dir: dir}, nil
}

// FileName is where a message lands: named by draft and Message-ID, so a
// retried send finds the file it already wrote.
func FileName(e *agent.Email) string {
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, e.MessageID)
	return fmt.Sprintf("%06d-%s.eml", e.DraftID, id)
}

// Send writes the message atomically (temp file, then rename). A file that
// already exists means an earlier attempt got through; it is not rewritten.
func (o *Outbox) Send(ctx context.Context, e *agent.Email) (*agent.Receipt, error) {
	path := filepath.Join(o.Dir, FileName(e))
	if _, err := os.Stat(path); err == nil {
		return &agent.Receipt{Response: "already in outbox: " + path}, nil
	}
	m, err := Build(e)
	if err != nil {
		return nil, &agent.DeliveryError{Err: fmt.Errorf("outbox: %w", err)}
	}
	// No OnData: writing the same file again is harmless (the name is the
	// Message-ID), so a send that died half-way is simply repeated.
	if err := o.write(m, path); err != nil {
		return nil, &agent.DeliveryError{Temporary: true, Err: err}
	}
	return &agent.Receipt{Response: "written to " + path}, nil
}

func (o *Outbox) write(m *mail.Msg, path string) error {
	tmp, err := os.CreateTemp(o.Dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := m.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("outbox: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("outbox: sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Build turns an Email into a go-mail message: multipart/alternative with
// text and HTML, the threading headers and Auto-Submitted. go-mail encodes
// every header value, so names and subjects cannot inject headers.
func Build(e *agent.Email) (*mail.Msg, error) { return build(e, false) }

// build makes the message; eightBit allows 8bit parts, for a server that
// announced 8BITMIME: a notice then goes out as written, without the
// quoted-printable pass (the costliest step of building it).
func build(e *agent.Email, eightBit bool) (*mail.Msg, error) {
	if len(e.To) == 0 {
		return nil, errors.New("no recipient")
	}
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if e.FromName != "" {
		if err := m.FromFormat(clean(e.FromName), e.From); err != nil {
			return nil, fmt.Errorf("from %q: %w", e.From, err)
		}
	} else if err := m.From(e.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", e.From, err)
	}
	if err := m.To(e.To...); err != nil {
		return nil, fmt.Errorf("to %v: %w", e.To, err)
	}
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", e.ReplyTo, err)
		}
	}
	m.Subject(clean(e.Subject))
	m.SetMessageIDWithValue(e.MessageID)
	m.SetDateWithValue(e.Date)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	if e.Language != "" {
		m.SetGenHeader("Content-Language", e.Language)
	}
	if e.InReplyTo != "" {
		m.SetGenHeader(mail.HeaderInReplyTo, "<"+e.InReplyTo+">")
	}
	if len(e.References) > 0 {
		refs := make([]string, len(e.References))
		for i, r := range e.References {
			refs[i] = "<" + r + ">"
		}
		m.SetGenHeader(mail.HeaderReferences, strings.Join(refs, " "))
	}
	// Writers, not strings: go-mail would copy each string into a buffer
	// of its own first.
	m.SetBodyWriter(mail.TypeTextPlain, writeString(e.Text), partEncoding(e.Text, eightBit)...)
	if e.HTML != "" {
		m.AddAlternativeWriter(mail.TypeTextHTML, writeString(e.HTML), partEncoding(e.HTML, eightBit)...)
	}
	for _, a := range e.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// partEncoding keeps go-mail's quoted-printable unless the part may go as
// 8bit (RFC 6152): lines of at most 998 octets, no NUL and no bare CR.
func partEncoding(body string, eightBit bool) []mail.PartOption {
	if !eightBit {
		return nil
	}
	// IndexByte scans many bytes at a time; a notice has 20 KB of them.
	if strings.IndexByte(body, 0) >= 0 || strings.IndexByte(body, '\r') >= 0 {
		return nil
	}
	for s := body; ; {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			i = len(s)
		}
		if i > 998 {
			return nil
		}
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return []mail.PartOption{mail.WithPartEncoding(mail.NoEncoding)}
}

func writeString(s string) func(io.Writer) (int64, error) {
	return func(w io.Writer) (int64, error) {
		n, err := io.WriteString(w, s)
		return int64(n), err
	}
}

// clean folds line breaks a template or a customer name might carry into
// spaces; header values are single lines.
func clean(s string) string {
	if tidy(s) {
		return s // as nearly every value is: no copy
	}
	return strings.Join(strings.Fields(s), " ")
}

// tidy reports whether s is what clean makes of it: single spaces between
// words, none around them, no other white space.
func tidy(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c >= 0x80:
			// Unicode spaces (U+0085, U+00A0, U+2000…) count as white
			// space to strings.Fields: leave such values to it.
			return !strings.ContainsFunc(s[i:], unicode.IsSpace) && tidyASCII(s[i:])
		}
	}
	return true
}

// tidyASCII is tidy's check of the ASCII spaces alone.
func tidyASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case '\t', '\n', '\v', '\f', '\r':
			return false
		}
	}
	return true
}
