package smtp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dunnerhq/dunner/agent"
	gosmtp "github.com/wneessen/go-mail/smtp"
	"golang.org/x/time/rate"
)

// TLS modes.
const (
	TLSNone          = "none"          // plain text; tests and trusted local relays only
	TLSStartTLS      = "starttls"      // STARTTLS required: refuse a server without it
	TLSOpportunistic = "opportunistic" // STARTTLS when offered
	TLSImplicit      = "implicit"      // TLS from the first byte (port 465)
)

// Config is one outgoing server.
type Config struct {
	Host     string
	Port     int
	TLS      string // default starttls
	Username string
	Password string
	HeloName string // default: the machine's host name
	// Connections is how many connections send in parallel (default 2).
	Connections int
	// Rate caps messages per second to the server, DomainRate per recipient
	// domain; 0 means no cap. Large receivers throttle senders that burst.
	Rate, DomainRate float64
	// Timeout bounds each SMTP command (default 60 s); the final answer to
	// DATA gets the same again, as servers scan content before answering.
	Timeout time.Duration
	// MaxMessageBytes refuses larger messages before connecting (default
	// 10 MiB, a limit most servers share).
	MaxMessageBytes int64
	// TLSConfig overrides the TLS settings (tests: a self-signed server).
	TLSConfig *tls.Config
}

// ErrTooLarge is a message over the size cap.
var ErrTooLarge = errors.New("message too large")

// Mailer sends over SMTP with reused connections. It is safe for concurrent
// use; at most Connections sends run at once.
//
// It drives go-mail's SMTP client command by command instead of go-mail's
// Client.Send, because at-most-once delivery needs the one moment Send
// hides: right before DATA, when Email.OnData records that the server may
// now get the message.
//
// Each connection has a goroutine of its own that takes the messages
// callers queue, built and ready: a connection goes on to the next message
// the moment the server took the last one, instead of waiting for a
// waiting caller to be woken and scheduled (at one connection that hand-
// over cost a third of the time per message).
type Mailer struct {
	cfg   Config
	queue chan *request
	// lines counts the connection goroutines started; lineWG waits for
	// them on Close.
	lines  atomic.Int32
	lineWG sync.WaitGroup
	closed sync.Once

	limiter *rate.Limiter
	// eightBit: the server announced 8BITMIME, so parts may go as 8bit.
	eightBit atomic.Bool
	mu       sync.Mutex
	domains  map[string]*rate.Limiter
}

var _ agent.Mailer = (*Mailer)(nil)

type conn struct {
	c    *gosmtp.Client
	used int
	// pipelining: the server takes MAIL, RCPT and DATA in one write
	// (RFC 2920), which saves two round trips per message.
	pipelining bool
	// mailParams go after MAIL FROM:<…>.
	mailParams string
	// broken: the connection is in a state no RSET can mend (DATA got
	// 354 but the message must not go); it is closed, never reused.
	broken bool
	// pull, when set, takes the next queued message if one is waiting;
	// its MAIL, RCPT and DATA then follow the final dot in the same write
	// (RFC 2920 lets message content open a group), into ahead, saving a
	// round trip per message.
	pull  func() *request
	ahead *request
}

// New returns a mailer for cfg; it connects lazily.
func New(cfg Config) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	switch cfg.TLS {
	case TLSNone, TLSStartTLS, TLSOpportunistic, TLSImplicit:
	default:
		return nil, fmt.Errorf("smtp: tls: unknown mode %q", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLSImplicit {
			cfg.Port = 465
		}
	}
	if cfg.Connections <= 0 {
		cfg.Connections = 2
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = 10 << 20
	}
	m := &Mailer{cfg: cfg, queue: make(chan *request), domains: map[string]*rate.Limiter{}}
	if cfg.Rate > 0 {
		m.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return m, nil
}

// Close says goodbye on every connection, once the messages queued are
// sent. No Send may run meanwhile or after.
func (m *Mailer) Close() error {
	m.closed.Do(func() { close(m.queue) })
	m.lineWG.Wait()
	return nil
}

// request is one message for a connection goroutine.
type request struct {
	e    *agent.Email
	from string
	to   []string
	data []byte // dot-stuffed, ending with the terminating dot
	done chan result
}

type result struct {
	rcpt *agent.Receipt
	err  error
}

// line is a connection's goroutine: it sends the queued messages over one
// connection, dialled when needed.
func (m *Mailer) line() {
	defer m.lineWG.Done()
	var c *conn
	var next *request // its commands already went out on c when sent
	var sent bool
	for {
		req, ahead := next, sent
		next, sent = nil, false
		if req == nil {
			r, ok := <-m.queue
			if !ok {
				break
			}
			req = r
		}
		var r result
		c, r, next, sent = m.transfer(c, req, ahead)
		req.done <- r
	}
	if c != nil {
		c.c.UpdateDeadline(5 * time.Second)
		c.c.Quit()
		c.c.Close()
	}
}

// transfer sends one request over c (or a new connection when c is nil or
// fails before the data), and returns the connection to keep, if any, and
// the next request when it was pulled behind this one's dot: sent says
// its commands went out on the connection returned.
func (m *Mailer) transfer(c *conn, req *request, sent bool) (*conn, result, *request, bool) {
	// A server may close a connection that sat idle; a reused one that
	// fails before the data went out is replaced once.
	for attempt := 0; ; attempt++ {
		if c == nil {
			var err error
			if c, err = m.dial(context.Background()); err != nil {
				return nil, result{err: err}, nil, false
			}
			if c.pipelining {
				c.pull = m.pull
			}
			sent = false
		}
		reused := c.used > 0
		var rcpt *agent.Receipt
		var dataSent bool
		var err error
		if c.pipelining {
			rcpt, dataSent, err = m.pipelined(c, req.e, req.from, req.to, req.data, sent)
		} else {
			rcpt, dataSent, err = m.transact(c, req.e, req.from, req.to, req.data)
		}
		next := c.ahead
		c.ahead = nil
		if err == nil {
			c.used++
			return c, result{rcpt: rcpt}, next, next != nil
		}
		var de *agent.DeliveryError
		network := !errors.As(err, &de) || de.Code == 0
		switch {
		case network || de.Code == 421 || c.broken:
			// The next one's commands, if any, went down with it.
			c.c.Close()
			c = nil
		case next != nil:
			// The server refused this message at its dot and is now
			// working through the next one's commands: no RSET.
			return c, result{err: err}, next, true
		default:
			c.c.UpdateDeadline(m.cfg.Timeout)
			if c.c.Reset() != nil {
				c.c.Close()
				c = nil
			}
		}
		if reused && !dataSent && next == nil && attempt == 0 && (network || de.Code == 421) {
			continue
		}
		return c, result{err: err}, next, false
	}
}

// writeBuffer holds a typical notice (about 20 KB) with room to spare;
// bigger messages are written straight through.
const writeBuffer = 64 << 10

// writeThrough passes writes on to go-mail's own buffered writer and
// flushes it, so nothing waits there once the outer buffer is flushed.
type writeThrough struct{ w *bufio.Writer }

func (t writeThrough) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err == nil {
		err = t.w.Flush()
	}
	return n, err
}

// pull takes a queued request if one is waiting.
func (m *Mailer) pull() *request {
	select {
	case r, ok := <-m.queue:
		if ok {
			return r
		}
	default:
	}
	return nil
}

func (m *Mailer) addr() string { return net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port)) }

func (m *Mailer) tlsConfig() *tls.Config {
	if m.cfg.TLSConfig != nil {
		return m.cfg.TLSConfig
	}
	return &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
}

// dial opens, greets, secures and authenticates a connection.
func (m *Mailer) dial(ctx context.Context) (*conn, error) {
	d := &net.Dialer{Timeout: m.cfg.Timeout}
	var nc net.Conn
	var err error
	if m.cfg.TLS == TLSImplicit {
		nc, err = (&tls.Dialer{NetDialer: d, Config: m.tlsConfig()}).DialContext(ctx, "tcp", m.addr())
	} else {
		nc, err = d.DialContext(ctx, "tcp", m.addr())
	}
	if err != nil {
		return nil, &agent.DeliveryError{Temporary: true, Err: fmt.Errorf("connect %s: %w", m.addr(), err)}
	}
	nc.SetDeadline(time.Now().Add(m.cfg.Timeout))
	c, err := gosmtp.NewClient(nc, m.cfg.Host)
	if err != nil {
		nc.Close()
		return nil, classify(fmt.Errorf("greeting: %w", err), false)
	}
	fail := func(step string, err error) (*conn, error) {
		c.Close()
		return nil, classify(fmt.Errorf("%s: %w", step, err), false)
	}
	if m.cfg.HeloName != "" {
		if err := c.Hello(m.cfg.HeloName); err != nil {
			return fail("EHLO", err)
		}
	}
	if m.cfg.TLS == TLSStartTLS || m.cfg.TLS == TLSOpportunistic {
		ok, _ := c.Extension("STARTTLS")
		switch {
		case ok:
			c.UpdateDeadline(m.cfg.Timeout)
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fail("STARTTLS", err)
			}
		case m.cfg.TLS == TLSStartTLS:
			c.Close()
			// A configuration fault, not the message's: temporary, so
			// notices wait for an admin instead of failing one by one.
			return nil, &agent.DeliveryError{Temporary: true,
				Err: fmt.Errorf("%s offers no STARTTLS and tls is %q", m.addr(), TLSStartTLS)}
		}
	}
	if m.cfg.Username != "" {
		a, err := m.auth(c)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.UpdateDeadline(m.cfg.Timeout)
		if err := c.Auth(a); err != nil {
			return fail("AUTH", err)
		}
	}
	// go-mail's 4 KB buffer sends a notice's data and its final dot in
	// two writes, and the server wakes for each; through a buffer that
	// holds a whole notice, its data, dot and the next notice's commands
	// leave in one write.
	c.Text.W = bufio.NewWriterSize(writeThrough{c.Text.W}, writeBuffer)
	cn := &conn{c: c}
	cn.pipelining, _ = c.Extension("PIPELINING")
	if ok, _ := c.Extension("8BITMIME"); ok {
		cn.mailParams = " BODY=8BITMIME"
	}
	m.eightBit.Store(cn.mailParams != "")
	return cn, nil
}

// auth picks the strongest mechanism the server offers among CRAM-MD5,
// PLAIN and LOGIN.
func (m *Mailer) auth(c *gosmtp.Client) (gosmtp.Auth, error) {
	ok, list := c.Extension("AUTH")
	if !ok {
		return nil, &agent.DeliveryError{Temporary: true, Err: fmt.Errorf("%s offers no AUTH but a username is configured", m.addr())}
	}
	mechs := strings.Fields(strings.ToUpper(list))
	has := func(s string) bool {
		for _, x := range mechs {
			if x == s {
				return true
			}
		}
		return false
	}
	// Plain-text mechanisms are allowed without TLS only when the admin
	// chose tls: none (a local relay); go-mail refuses them otherwise.
	plainOK := m.cfg.TLS == TLSNone
	switch {
	case has("CRAM-MD5"):
		return gosmtp.CRAMMD5Auth(m.cfg.Username, m.cfg.Password), nil
	case has("PLAIN"):
		return gosmtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host, plainOK), nil
	case has("LOGIN"):
		return gosmtp.LoginAuth(m.cfg.Username, m.cfg.Password, m.cfg.Host, plainOK), nil
	}
	return nil, &agent.DeliveryError{Temporary: true, Err: fmt.Errorf("%s offers no usable AUTH mechanism (%s)", m.addr(), list)}
}

func (m *Mailer) domainLimiter(domain string) *rate.Limiter {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.domains[domain]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(m.cfg.DomainRate), 1)
		m.domains[domain] = l
	}
	return l
}

// Send delivers one message. Recipients the server refuses while it takes
// the message for others come back in the receipt.
func (m *Mailer) Send(ctx context.Context, e *agent.Email) (*agent.Receipt, error) {
	from, err := envelope(e.From)
	if err != nil {
		return nil, &agent.DeliveryError{Err: fmt.Errorf("from: %w", err)}
	}
	to := make([]string, len(e.To))
	for i, a := range e.To {
		if to[i], err = envelope(a); err != nil {
			return nil, &agent.DeliveryError{Err: fmt.Errorf("to: %w", err)}
		}
	}
	// Until a connection has shown 8BITMIME the message goes as
	// quoted-printable, which every server takes.
	msg, err := build(e, m.eightBit.Load())
	if err != nil {
		return nil, &agent.DeliveryError{Err: err}
	}
	// A fresh buffer of a notice's size costs more to clear than to
	// fill: reuse one unless the caller keeps the message.
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Grow(sizeHint(e))
	if _, err := msg.WriteTo(buf); err != nil {
		putBuf(buf)
		return nil, &agent.DeliveryError{Err: err}
	}
	if int64(buf.Len()) > m.cfg.MaxMessageBytes {
		putBuf(buf)
		return nil, &agent.DeliveryError{Err: fmt.Errorf("%w: %d bytes, the limit is %d (attachments?)",
			ErrTooLarge, buf.Len(), m.cfg.MaxMessageBytes)}
	}
	// Stuffed before taking a connection slot: the slot is for the wire.
	sp := stuffPool.Get().(*[]byte)
	defer stuffPool.Put(sp)
	*sp = dotStuff((*sp)[:0], buf.Bytes())
	data := *sp
	var raw []byte
	if e.KeepRaw {
		raw = buf.Bytes()
	} else {
		putBuf(buf)
	}
	if m.limiter != nil {
		if err := m.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	if m.cfg.DomainRate > 0 {
		for _, d := range domains(e.To) {
			if err := m.domainLimiter(d).Wait(ctx); err != nil {
				return nil, err
			}
		}
	}
	// Connections open as the queue needs them, up to the configured
	// number.
	if n := m.lines.Load(); int(n) < m.cfg.Connections && m.lines.CompareAndSwap(n, n+1) {
		m.lineWG.Add(1)
		go m.line()
	}
	req := &request{e: e, from: from, to: to, data: data, done: make(chan result, 1)}
	select {
	case m.queue <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Taken: the outcome is awaited even if ctx ends now, for OnData
	// may run and the caller must know whether the data went out.
	r := <-req.done
	if r.err != nil {
		return nil, r.err
	}
	r.rcpt.Raw = raw
	return r.rcpt, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putBuf keeps a buffer for the next message unless an attachment made it
// big: the pool is for notices, not for holding megabytes.
func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		bufPool.Put(b)
	}
}

var stuffPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// sizeHint guesses the size of e's message, so its buffer is made once
// instead of doubling its way up (copying all it held each time): the text
// parts grow a little in quoted-printable, attachments by a third in
// base64.
func sizeHint(e *agent.Email) int {
	n := 4096 + (len(e.Text)+len(e.HTML))*9/8
	for _, a := range e.Attachments {
		n += len(a.Data)*4/3 + 512
	}
	return n
}

// envelope checks an address for the SMTP envelope: a CR or LF would let
// it smuggle in commands, an angle bracket would end the path early.
func envelope(a string) (string, error) {
	if len(a) >= 2 && a[0] == '<' && a[len(a)-1] == '>' {
		a = a[1 : len(a)-1]
	}
	if a == "" {
		return "", errors.New("empty address")
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; c < 0x20 || c == 0x7f || c == '<' || c == '>' {
			return "", fmt.Errorf("address %q: forbidden character", a)
		}
	}
	return a, nil
}

// transact runs MAIL, RCPT and DATA one command at a time, for servers
// without PIPELINING. dataSent reports whether OnData was called (the
// server may have started to receive).
func (m *Mailer) transact(c *conn, e *agent.Email, from string, to []string, data []byte) (*agent.Receipt, bool, error) {
	cl := c.c
	cl.UpdateDeadline(m.cfg.Timeout)
	if err := cl.Mail("<" + from + ">"); err != nil {
		return nil, false, classify(fmt.Errorf("MAIL FROM: %w", err), false)
	}
	rcpt := &agent.Receipt{}
	accepted := 0
	for _, a := range to {
		cl.UpdateDeadline(m.cfg.Timeout)
		err := cl.Rcpt("<" + a + ">")
		if err == nil {
			accepted++
			continue
		}
		if de := m.refused(rcpt, a, err); de != nil {
			return nil, false, de
		}
	}
	if err := allRefused(rcpt, accepted); err != nil {
		return nil, false, err
	}
	if e.OnData != nil {
		if err := e.OnData(); err != nil {
			return nil, false, err
		}
	}
	cl.UpdateDeadline(m.cfg.Timeout)
	if _, _, err := cmd(cl.Text, 354, "DATA\r\n"); err != nil {
		if !isReply(err) {
			c.broken = true
		}
		return nil, true, classify(fmt.Errorf("DATA: %w", err), false)
	}
	resp, err := m.body(c, data)
	if err != nil {
		return nil, true, err
	}
	rcpt.Response = resp
	return rcpt, true, nil
}

// pipelined sends MAIL, every RCPT and DATA in one write and then reads
// their replies (RFC 2920). OnData runs only once DATA got its 354; if the
// message must not go after all, the connection is closed rather than
// ended with a lone dot, which would deliver an empty message.
//
// sent says the commands already went out, behind the previous message.
func (m *Mailer) pipelined(c *conn, e *agent.Email, from string, to []string, data []byte, sent bool) (*agent.Receipt, bool, error) {
	t := c.c.Text
	c.c.UpdateDeadline(m.cfg.Timeout)
	if !sent {
		m.commands(c, from, to)
		if err := t.W.Flush(); err != nil {
			c.broken = true
			return nil, false, classify(fmt.Errorf("MAIL FROM: %w", err), false)
		}
	}
	// Every reply is read, even after a refusal, so the connection stays
	// in step for the next message.
	_, _, mailErr := t.ReadResponse(250)
	if mailErr != nil && !isReply(mailErr) {
		c.broken = true
		return nil, false, classify(fmt.Errorf("MAIL FROM: %w", mailErr), false)
	}
	rcptErrs := make([]error, len(to))
	for i := range to {
		_, _, rcptErrs[i] = t.ReadResponse(25)
		if rcptErrs[i] != nil && !isReply(rcptErrs[i]) {
			c.broken = true
			return nil, false, classify(fmt.Errorf("RCPT TO %s: %w", to[i], rcptErrs[i]), false)
		}
	}
	_, _, dataErr := t.ReadResponse(354)
	if dataErr != nil && !isReply(dataErr) {
		c.broken = true
		return nil, false, classify(fmt.Errorf("DATA: %w", dataErr), false)
	}
	// From here on, a refusal with DATA open leaves the server waiting
	// for a message that must not come.
	abort := func(err error) (*agent.Receipt, bool, error) {
		if dataErr == nil {
			c.broken = true
		}
		return nil, false, err
	}
	if mailErr != nil {
		return abort(classify(fmt.Errorf("MAIL FROM: %w", mailErr), false))
	}
	rcpt := &agent.Receipt{}
	accepted := 0
	for i, err := range rcptErrs {
		if err == nil {
			accepted++
			continue
		}
		if de := m.refused(rcpt, to[i], err); de != nil {
			return abort(de)
		}
	}
	if err := allRefused(rcpt, accepted); err != nil {
		return abort(err)
	}
	if dataErr != nil {
		return nil, false, classify(fmt.Errorf("DATA: %w", dataErr), false)
	}
	onData := e.OnData
	if onData != nil && e.QuickOnData {
		if err := onData(); err != nil {
			// DATA got its 354: only dropping the connection ends it
			// without a message.
			c.broken = true
			return nil, false, err
		}
		onData = nil
	}
	resp, dataSent, err := m.bodyWhile(c, data, onData)
	if err != nil {
		return nil, dataSent, err
	}
	rcpt.Response = resp
	return rcpt, true, nil
}

// commands writes MAIL, RCPT and DATA into c's buffer.
func (m *Mailer) commands(c *conn, from string, to []string) {
	w := c.c.Text.W
	w.WriteString("MAIL FROM:<")
	w.WriteString(from)
	w.WriteString(">")
	w.WriteString(c.mailParams)
	if needsUTF8(from, to) {
		w.WriteString(" SMTPUTF8")
	}
	w.WriteString("\r\n")
	for _, a := range to {
		w.WriteString("RCPT TO:<")
		w.WriteString(a)
		w.WriteString(">\r\n")
	}
	w.WriteString("DATA\r\n")
}

// bodyWhile writes the message while onData records that it goes out,
// and ends it with the dot only once onData is done: a server takes a
// message only at the dot, so the record is durable before the message
// can complete, and its commit overlaps the transfer. If onData fails the
// connection is dropped without the dot, and the server discards what it
// got.
func (m *Mailer) bodyWhile(c *conn, data []byte, onData func() error) (string, bool, error) {
	if onData == nil {
		resp, err := m.body(c, data)
		return resp, true, err
	}
	recorded := make(chan error, 1)
	go func() { recorded <- onData() }()
	t := c.c.Text
	c.c.UpdateDeadline(m.cfg.Timeout)
	_, werr := t.W.Write(data[:len(data)-3])
	if werr == nil {
		werr = t.W.Flush()
	}
	if err := <-recorded; err != nil {
		c.broken = true
		return "", false, err
	}
	if werr != nil {
		c.broken = true
		return "", true, classify(fmt.Errorf("writing message: %w", werr), false)
	}
	resp, err := m.end(c, data[len(data)-3:])
	return resp, true, err
}

// refused files a RCPT refusal in the receipt; a deferral or a network
// error comes back instead, to defer the whole message rather than send a
// notice to half its addressees.
func (m *Mailer) refused(rcpt *agent.Receipt, to string, err error) *agent.DeliveryError {
	de := classify(fmt.Errorf("RCPT TO %s: %w", to, err), false).(*agent.DeliveryError)
	if de.Temporary || de.Code == 0 {
		return de
	}
	de.Recipient = strings.ToLower(to)
	rcpt.Rejected = append(rcpt.Rejected, de)
	return nil
}

func allRefused(rcpt *agent.Receipt, accepted int) error {
	if accepted > 0 {
		return nil
	}
	if len(rcpt.Rejected) == 1 {
		return rcpt.Rejected[0]
	}
	return &agent.DeliveryError{Code: rcpt.Rejected[0].Code, Enhanced: rcpt.Rejected[0].Enhanced,
		Err: fmt.Errorf("every recipient refused: %v", rcpt.Rejected)}
}

// body writes the dot-stuffed message after DATA's 354 and reads the final
// reply. data ends with the terminating ".\r\n", written separately: an
// error before it went out means the server drops what it got.
func (m *Mailer) body(c *conn, data []byte) (string, error) {
	t := c.c.Text
	c.c.UpdateDeadline(m.cfg.Timeout)
	if _, err := t.W.Write(data[:len(data)-3]); err != nil {
		c.broken = true
		return "", classify(fmt.Errorf("writing message: %w", err), false)
	}
	return m.end(c, data[len(data)-3:])
}

// end writes the terminating dot and reads the server's verdict.
func (m *Mailer) end(c *conn, dot []byte) (string, error) {
	t := c.c.Text
	// The final answer may take long while the server scans content.
	c.c.UpdateDeadline(2 * m.cfg.Timeout)
	t.W.Write(dot)
	if c.pull != nil {
		if next := c.pull(); next != nil {
			m.commands(c, next.from, next.to)
			c.ahead = next
		}
	}
	if err := t.W.Flush(); err != nil {
		c.broken = true
		return "", classify(fmt.Errorf("end of DATA: %w", err), true)
	}
	_, resp, err := t.ReadResponse(250)
	if err != nil {
		if !isReply(err) {
			c.broken = true
		}
		return "", classify(fmt.Errorf("end of DATA: %w", err), true)
	}
	return resp, nil
}

// cmd writes one command line and reads its reply.
func cmd(t *textproto.Conn, expect int, line string) (int, string, error) {
	if _, err := t.W.WriteString(line); err != nil {
		return 0, "", err
	}
	if err := t.W.Flush(); err != nil {
		return 0, "", err
	}
	return t.ReadResponse(expect)
}

// isReply tells a server's answer from a broken connection.
func isReply(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te)
}

func needsUTF8(from string, to []string) bool {
	for _, a := range append([]string{from}, to...) {
		for i := 0; i < len(a); i++ {
			if a[i] >= 0x80 {
				return true
			}
		}
	}
	return false
}

// dotStuff appends body to dst as DATA needs it, ending with the
// terminating dot, exactly as textproto's DotWriter would write it (lone
// \n becomes \r\n, a line's leading dot is doubled) but a line at a time
// instead of a byte at a time.
func dotStuff(dst, body []byte) []byte {
	if len(body) == 0 {
		return append(dst, "\r\n.\r\n"...)
	}
	for len(body) > 0 {
		if body[0] == '.' {
			dst = append(dst, '.')
		}
		i := bytes.IndexByte(body, '\n')
		line := body
		if i >= 0 {
			line = body[:i]
		}
		dst = append(dst, line...)
		// DotWriter's state after a run of k trailing CRs is "after CR"
		// only for odd k: an even run counts as data, and its \n gets a
		// \r of its own.
		k := 0
		for k < len(line) && line[len(line)-1-k] == '\r' {
			k++
		}
		if i < 0 {
			if k%2 == 1 {
				return append(dst, "\n.\r\n"...)
			}
			return append(dst, "\r\n.\r\n"...)
		}
		if k%2 == 0 {
			dst = append(dst, '\r')
		}
		dst = append(dst, '\n')
		body = body[i+1:]
	}
	return append(dst, ".\r\n"...)
}

// classify types an error: SMTP replies by their code, network errors as
// temporary, or as uncertain once the message data went out whole.
func classify(err error, afterData bool) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		de := &agent.DeliveryError{Code: te.Code, Temporary: te.Code < 500, Err: err}
		if f := strings.Fields(te.Msg); len(f) > 0 && len(f[0]) >= 5 && (f[0][0] == '4' || f[0][0] == '5') && f[0][1] == '.' {
			de.Enhanced = f[0]
		}
		return de
	}
	var de *agent.DeliveryError
	if errors.As(err, &de) {
		return err
	}
	return &agent.DeliveryError{Temporary: !afterData, Uncertain: afterData, Err: err}
}

func domains(addrs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range addrs {
		if i := strings.LastIndexByte(a, '@'); i >= 0 {
			d := strings.ToLower(strings.TrimSuffix(a[i+1:], ">"))
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}
