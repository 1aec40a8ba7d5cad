package smtp

import (
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
type Mailer struct {
	cfg   Config
	slots chan struct{}
	idle  chan *conn

	limiter *rate.Limiter
	mu      sync.Mutex
	domains map[string]*rate.Limiter
}

var _ agent.Mailer = (*Mailer)(nil)

type conn struct {
	c    *gosmtp.Client
	used int
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
	m := &Mailer{cfg: cfg, slots: make(chan struct{}, cfg.Connections), idle: make(chan *conn, cfg.Connections),
		domains: map[string]*rate.Limiter{}}
	if cfg.Rate > 0 {
		m.limiter = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return m, nil
}

// Close says goodbye on every idle connection.
func (m *Mailer) Close() error {
	for {
		select {
		case c := <-m.idle:
			c.c.UpdateDeadline(5 * time.Second)
			c.c.Quit()
			c.c.Close()
		default:
			return nil
		}
	}
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
	return &conn{c: c}, nil
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

// get takes an idle connection or dials a new one.
func (m *Mailer) get(ctx context.Context) (*conn, error) {
	select {
	case c := <-m.idle:
		return c, nil
	default:
	}
	return m.dial(ctx)
}

func (m *Mailer) put(c *conn) {
	select {
	case m.idle <- c:
	default:
		c.c.Quit()
		c.c.Close()
	}
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
	msg, err := Build(e)
	if err != nil {
		return nil, &agent.DeliveryError{Err: err}
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, &agent.DeliveryError{Err: err}
	}
	if int64(buf.Len()) > m.cfg.MaxMessageBytes {
		return nil, &agent.DeliveryError{Err: fmt.Errorf("%w: %d bytes, the limit is %d (attachments?)",
			ErrTooLarge, buf.Len(), m.cfg.MaxMessageBytes)}
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
	select {
	case m.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-m.slots }()

	// A server may close a connection that sat idle; a reused one that
	// fails before the data went out is replaced once.
	for attempt := 0; ; attempt++ {
		c, err := m.get(ctx)
		if err != nil {
			return nil, err
		}
		reused := c.used > 0
		rcpt, dataSent, err := m.transact(c, e, buf.Bytes())
		if err == nil {
			c.used++
			m.put(c)
			rcpt.Raw = buf.Bytes()
			return rcpt, nil
		}
		var de *agent.DeliveryError
		network := !errors.As(err, &de) || de.Code == 0
		if network || de.Code == 421 {
			c.c.Close()
		} else {
			c.c.UpdateDeadline(m.cfg.Timeout)
			if c.c.Reset() == nil {
				m.put(c)
			} else {
				c.c.Close()
			}
		}
		if reused && !dataSent && attempt == 0 && (network || de.Code == 421) {
			continue
		}
		return nil, err
	}
}

// transact runs MAIL, RCPT and DATA on one connection. dataSent reports
// whether OnData was called (the server may have started to receive).
func (m *Mailer) transact(c *conn, e *agent.Email, body []byte) (*agent.Receipt, bool, error) {
	cl := c.c
	cl.UpdateDeadline(m.cfg.Timeout)
	if err := cl.Mail(e.From); err != nil {
		return nil, false, classify(fmt.Errorf("MAIL FROM: %w", err), false)
	}
	rcpt := &agent.Receipt{}
	accepted := 0
	for _, to := range e.To {
		cl.UpdateDeadline(m.cfg.Timeout)
		err := cl.Rcpt(to)
		if err == nil {
			accepted++
			continue
		}
		de := classify(fmt.Errorf("RCPT TO %s: %w", to, err), false).(*agent.DeliveryError)
		if de.Temporary || de.Code == 0 {
			// One recipient deferred: defer the whole message rather than
			// send a notice to half its addressees.
			return nil, false, de
		}
		de.Recipient = strings.ToLower(to)
		rcpt.Rejected = append(rcpt.Rejected, de)
	}
	if accepted == 0 {
		if len(rcpt.Rejected) == 1 {
			return nil, false, rcpt.Rejected[0]
		}
		return nil, false, &agent.DeliveryError{Code: rcpt.Rejected[0].Code, Enhanced: rcpt.Rejected[0].Enhanced,
			Err: fmt.Errorf("every recipient refused: %v", rcpt.Rejected)}
	}
	if e.OnData != nil {
		if err := e.OnData(); err != nil {
			return nil, false, err
		}
	}
	cl.UpdateDeadline(m.cfg.Timeout)
	w, err := cl.Data()
	if err != nil {
		return nil, true, classify(fmt.Errorf("DATA: %w", err), false)
	}
	if _, err := w.Write(body); err != nil {
		// The final dot never went out: the server drops what it got.
		return nil, true, classify(fmt.Errorf("writing message: %w", err), false)
	}
	// The final answer may take long while the server scans content.
	cl.UpdateDeadline(2 * m.cfg.Timeout)
	if err := w.Close(); err != nil {
		return nil, true, classify(fmt.Errorf("end of DATA: %w", err), true)
	}
	if dc, ok := w.(*gosmtp.DataCloser); ok {
		rcpt.Response = dc.ServerResponse()
	}
	return rcpt, true, nil
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
