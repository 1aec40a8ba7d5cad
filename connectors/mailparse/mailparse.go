// Package mailparse turns raw RFC 5322 messages into agent.InboundMessage:
// headers decoded from any charset, the body reduced to its best plain text,
// attachments named, delivery reports and forwarded messages picked out.
// It is the only place that knows MIME; classification stays in agent.
package mailparse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dunnerhq/dunner/agent"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decoders for ISO-8859-x, Windows-125x, …
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/charmap"
)

// DefaultMaxBytes is the size cap when the caller gives none: far above
// any real remittance or reply, low enough that a hostile message cannot
// exhaust memory.
const DefaultMaxBytes = 32 << 20

// ErrTooLarge reports a message above the size cap.
var ErrTooLarge = errors.New("mailparse: message exceeds the size limit")

const (
	maxDepth     = 8       // nested multiparts and attached messages
	maxParts     = 500     // parts in one message
	maxTextBytes = 2 << 20 // text kept per part; the rest is only counted
)

// Parse reads one message of at most maxBytes bytes (0 means
// DefaultMaxBytes). It never panics: malformed input gives an error, or
// as much of the message as could be read.
func Parse(r io.Reader, maxBytes int64) (msg *agent.InboundMessage, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	cr := &capReader{r: r, left: maxBytes}
	defer func() {
		if p := recover(); p != nil {
			msg, err = nil, fmt.Errorf("mailparse: malformed message: %v", p)
		}
		if cr.over {
			msg, err = nil, ErrTooLarge
		}
	}()
	e, err := message.Read(bufio.NewReader(cr))
	if err != nil && !tolerable(err) {
		return nil, fmt.Errorf("mailparse: %w", err)
	}
	p := &parser{}
	m := p.message(e, 0)
	// Drain what the walk skipped so the size cap sees the whole message.
	if _, err := io.Copy(io.Discard, cr); err != nil && !cr.over {
		return m, nil
	}
	return m, nil
}

// ParseBytes is Parse on a message in memory.
func ParseBytes(b []byte) (*agent.InboundMessage, error) {
	return Parse(bytes.NewReader(b), int64(len(b))+1)
}

func tolerable(err error) bool {
	return message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)
}

type capReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more than allowed tells "too large" from "exactly full".
		var one [1]byte
		n, _ := c.r.Read(one[:])
		if n > 0 {
			c.over = true
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

type parser struct {
	parts int
}

// body is what the walk of one message's MIME tree collects.
type body struct {
	plain, html []string
	atts        []agent.InboundAttachment
	ds          string
	attached    []*agent.InboundMessage // message/rfc822 parts
}

func (p *parser) message(e *message.Entity, depth int) *agent.InboundMessage {
	m := &agent.InboundMessage{Headers: map[string][]string{}}
	p.headers(e.Header, m)
	var b body
	p.walk(e, depth, &b, false)
	m.Attachments = b.atts
	m.DeliveryStatus = b.ds
	m.Text = pickText(b)
	p.forwarded(m, b)
	return m
}

func (p *parser) headers(h message.Header, m *agent.InboundMessage) {
	fields := h.Fields()
	for fields.Next() {
		v, err := fields.Text()
		if err != nil {
			v = fields.Value()
		}
		v = fixText(v)
		k := textproto.CanonicalMIMEHeaderKey(fields.Key())
		m.Headers[k] = append(m.Headers[k], v)
	}
	mh := mail.Header{Header: h}
	m.Subject = first(m.Headers["Subject"])
	m.From = addresses(mh, "From")
	m.To = addresses(mh, "To")
	m.Cc = addresses(mh, "Cc")
	if d, err := mh.Date(); err == nil {
		m.Date = d
	} else {
		m.Date = looseDate(h.Get("Date"))
	}
	if id, err := mh.MessageID(); err == nil {
		m.MessageID = id
	} else {
		m.MessageID = firstID(h.Get("Message-Id"))
	}
	if ids, err := mh.MsgIDList("In-Reply-To"); err == nil && len(ids) > 0 {
		m.InReplyTo = ids[0]
	} else {
		m.InReplyTo = firstID(h.Get("In-Reply-To"))
	}
	if ids, err := mh.MsgIDList("References"); err == nil {
		m.References = ids
	} else {
		m.References = allIDs(h.Get("References"))
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// fixText makes a header value valid UTF-8: raw 8-bit headers from old
// clients are nearly always Windows-1252 (a superset of ISO-8859-1).
func fixText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

var (
	addrRe = regexp.MustCompile(`[A-Za-z0-9._%+\-=']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	idRe   = regexp.MustCompile(`<([^<>\s]+)>`)
)

func addresses(h mail.Header, key string) []string {
	var out []string
	if list, err := h.AddressList(key); err == nil {
		for _, a := range list {
			out = append(out, a.Address)
		}
		return out
	}
	// Malformed lists (unquoted commas in names, raw 8-bit) still carry
	// their addresses.
	v, _ := h.Text(key)
	return addrRe.FindAllString(v, -1)
}

func firstID(s string) string {
	if ids := allIDs(s); len(ids) > 0 {
		return ids[0]
	}
	return strings.Trim(strings.TrimSpace(s), "<>")
}

func allIDs(s string) []string {
	var out []string
	for _, m := range idRe.FindAllStringSubmatch(s, 100) {
		out = append(out, m[1])
	}
	return out
}

var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	time.RFC3339,
}

// looseDate reads the Date forms net/mail refuses (missing seconds, zone
// comments, two-digit years); the zero time when nothing fits.
func looseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "("); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func mediaType(h message.Header) (string, map[string]string) {
	t, params, err := h.ContentType()
	if err != nil {
		// Keep the type of a header whose parameters are broken.
		raw := strings.ToLower(strings.TrimSpace(strings.SplitN(h.Get("Content-Type"), ";", 2)[0]))
		return raw, map[string]string{}
	}
	return strings.ToLower(t), params
}

func filename(h message.Header, ctParams map[string]string) string {
	_, dp, err := h.ContentDisposition()
	name := ""
	if err == nil {
		name = dp["filename"]
	}
	if name == "" {
		name = ctParams["name"]
	}
	if name == "" {
		// Broken parameters: fish the name out by hand.
		for _, k := range []string{"Content-Disposition", "Content-Type"} {
			v := h.Get(k)
			if i := strings.Index(strings.ToLower(v), "name="); i >= 0 {
				name = strings.Trim(strings.TrimSpace(strings.SplitN(v[i+5:], ";", 2)[0]), `"'`)
				if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
					name = dec
				}
				break
			}
		}
	}
	return fixText(name)
}

func (p *parser) walk(e *message.Entity, depth int, b *body, inReport bool) {
	p.parts++
	if p.parts > maxParts || depth > maxDepth {
		return
	}
	mt, params := mediaType(e.Header)
	if mr := e.MultipartReader(); mr != nil {
		report := mt == "multipart/report"
		if mt == "multipart/alternative" {
			p.alternative(mr, depth, b, inReport)
			return
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				if !tolerable(err) || part == nil {
					return
				}
			}
			p.walk(part, depth+1, b, inReport || report)
		}
	}
	disp, _, _ := e.Header.ContentDisposition()
	disp = strings.ToLower(disp)
	name := filename(e.Header, params)
	switch {
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		b.ds += readText(e.Body)
		return
	case mt == "text/rfc822-headers" || mt == "message/global-headers":
		return // the returned message's headers: our own words
	case mt == "message/rfc822" || mt == "message/global" || emlFile(mt, name):
		if inReport {
			return // the bounced original is ours, not the sender's content
		}
		inner, err := message.Read(bufio.NewReader(io.LimitReader(e.Body, 64<<20)))
		if err != nil && !tolerable(err) {
			return
		}
		sub := p.message(inner, depth+1)
		b.attached = append(b.attached, sub)
		return
	case (mt == "text/plain" || mt == "" || mt == "text/html" || mt == "text/enriched") && disp != "attachment" && name == "":
		t := readText(e.Body)
		if mt == "text/html" {
			b.html = append(b.html, t)
		} else {
			b.plain = append(b.plain, t)
		}
		return
	}
	if strings.HasPrefix(mt, "image/") && disp != "attachment" && (e.Header.Get("Content-Id") != "" || name == "") {
		countBytes(e.Body)
		return // an inline logo, not a document
	}
	att := agent.InboundAttachment{Name: name, ContentType: mt}
	if document(mt, name) {
		// Kept for the remittance reader; bounded like the whole message.
		data, _ := io.ReadAll(io.LimitReader(e.Body, maxDocument+1))
		att.Size = len(data) + countBytes(e.Body)
		if len(data) <= maxDocument {
			att.Data = data
		}
	} else {
		att.Size = countBytes(e.Body)
	}
	b.atts = append(b.atts, att)
}

// emlFile: a saved message attached as a plain file. Some clients and
// webmail "attach as file" send it as application/octet-stream with only
// the .eml name to say what it is.
func emlFile(mt, name string) bool {
	if !strings.HasSuffix(strings.ToLower(name), ".eml") {
		return false
	}
	switch mt {
	case "application/octet-stream", "application/eml", "application/x-eml", "text/plain", "":
		return true
	}
	return false
}

// maxDocument bounds an attachment kept in memory.
const maxDocument = 20 << 20

// document reports whether an attachment may be a remittance advice: a
// PDF, a spreadsheet or a CSV, by type or by name.
func document(mt, name string) bool {
	switch mt {
	case "application/pdf", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.ms-excel":
		return true
	}
	n := strings.ToLower(name)
	for _, ext := range []string{".pdf", ".csv", ".xlsx"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// alternative keeps one rendering: the plain text unless it is only a
// stub ("view this message in HTML"), else the HTML converted to text.
func (p *parser) alternative(mr message.MultipartReader, depth int, b *body, inReport bool) {
	var alts []body
	for {
		part, err := mr.NextPart()
		if err != nil && (!tolerable(err) || part == nil) {
			break
		}
		var sub body
		p.walk(part, depth+1, &sub, inReport)
		alts = append(alts, sub)
	}
	var plain, html *body
	for i := range alts {
		a := &alts[i]
		if plain == nil && strings.TrimSpace(strings.Join(a.plain, "")) != "" {
			plain = a
		}
		if html == nil && strings.TrimSpace(strings.Join(a.html, "")) != "" {
			html = a
		}
		b.atts = append(b.atts, a.atts...)
		b.attached = append(b.attached, a.attached...)
		b.ds += a.ds
	}
	switch {
	case plain != nil && html != nil:
		pt := strings.TrimSpace(strings.Join(plain.plain, "\n"))
		ht := HTMLToText(strings.Join(html.html, "\n"))
		if utf8.RuneCountInString(pt)*5 < utf8.RuneCountInString(ht) {
			b.plain = append(b.plain, ht)
		} else {
			b.plain = append(b.plain, plain.plain...)
		}
	case plain != nil:
		b.plain = append(b.plain, plain.plain...)
	case html != nil:
		b.html = append(b.html, html.html...)
	}
}

func readText(r io.Reader) string {
	var sb strings.Builder
	_, _ = io.Copy(&sb, io.LimitReader(r, maxTextBytes))
	_, _ = io.Copy(io.Discard, r)
	return fixText(sb.String())
}

func countBytes(r io.Reader) int {
	n, _ := io.Copy(io.Discard, r)
	return int(n)
}

func pickText(b body) string {
	var parts []string
	for _, t := range b.plain {
		if s := strings.TrimSpace(t); s != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		for _, h := range b.html {
			if s := HTMLToText(h); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return normalizeNewlines(strings.Join(parts, "\n\n"))
}

func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
