// Package imap connects Dunner to shared AR mailboxes over IMAP with
// go-imap v2: it copies sent notices into the Sent folder and reads what
// customers send back.
package imap

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/dunnerhq/dunner/agent"
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// TLS modes.
const (
	TLSNone     = "none"     // plain text; tests and local servers only
	TLSStartTLS = "starttls" // STARTTLS required
	TLSImplicit = "implicit" // IMAPS (port 993)
)

// Config is one mailbox account.
type Config struct {
	Host     string
	Port     int
	TLS      string // default implicit
	Username string
	Password string
	// Timeout bounds each command: go-imap waits for a response forever,
	// and a server that stops answering must not hang a job.
	Timeout   time.Duration
	TLSConfig *tls.Config
	// SentFolder receives copies of sent notices (default "Sent").
	SentFolder string
}

func (c *Config) defaults() {
	if c.TLS == "" {
		c.TLS = TLSImplicit
	}
	if c.Port == 0 {
		c.Port = 993
		if c.TLS != TLSImplicit {
			c.Port = 143
		}
	}
	if c.Timeout <= 0 {
		c.Timeout = 60 * time.Second
	}
	if c.SentFolder == "" {
		c.SentFolder = "Sent"
	}
}

// deadlineConn arms a deadline before every read and write, so a stalled
// server fails a command after Timeout instead of never. Reads go through
// a large buffer: go-imap reads in 4 KB steps, and a poll that fetches
// hundreds of megabytes would otherwise spend its time in system calls.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
	br      *bufio.Reader
}

func newDeadlineConn(c net.Conn, timeout time.Duration) *deadlineConn {
	d := &deadlineConn{Conn: c, timeout: timeout}
	d.br = bufio.NewReaderSize(readerFunc(d.read), 64<<10)
	return d
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }

func (c *deadlineConn) read(b []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	return c.Conn.Read(b)
}

func (c *deadlineConn) Read(b []byte) (int, error) { return c.br.Read(b) }

func (c *deadlineConn) Write(b []byte) (int, error) {
	c.Conn.SetWriteDeadline(time.Now().Add(c.timeout))
	return c.Conn.Write(b)
}

// Dial connects and logs in.
func Dial(ctx context.Context, cfg Config) (*imapclient.Client, error) {
	return dial(ctx, cfg, nil)
}

func dial(ctx context.Context, cfg Config, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	cfg.defaults()
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	tlsConfig := cfg.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	d := &net.Dialer{Timeout: cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("imap: connect %s: %w", addr, err)
	}
	var conn net.Conn = raw
	if cfg.TLS == TLSImplicit {
		tc := tls.Client(raw, tlsConfig)
		tc.SetDeadline(time.Now().Add(cfg.Timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("imap: TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	conn = newDeadlineConn(conn, cfg.Timeout)
	opts := &imapclient.Options{TLSConfig: tlsConfig, UnilateralDataHandler: handler}
	var c *imapclient.Client
	switch cfg.TLS {
	case TLSStartTLS:
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("imap: STARTTLS with %s: %w", addr, err)
		}
	case TLSNone, TLSImplicit:
		c = imapclient.New(conn, opts)
	default:
		conn.Close()
		return nil, fmt.Errorf("imap: tls: unknown mode %q", cfg.TLS)
	}
	if err := c.Login(cfg.Username, cfg.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("imap: login %s at %s: %w", cfg.Username, addr, err)
	}
	return c, nil
}

// SentFolder appends copies of sent notices to the shared mailbox.
type SentFolder struct {
	Config Config
}

var _ agent.SentFolder = (*SentFolder)(nil)

// AppendSent stores raw as read (\Seen) in the Sent folder, creating the
// folder when the server has none by that name.
func (s *SentFolder) AppendSent(ctx context.Context, raw []byte, at time.Time) error {
	cfg := s.Config
	cfg.defaults()
	c, err := Dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	err = appendTo(c, cfg.SentFolder, raw, at)
	var ie *goimap.Error
	if errors.As(err, &ie) && ie.Code == goimap.ResponseCodeTryCreate {
		if err := c.Create(cfg.SentFolder, nil).Wait(); err != nil {
			return fmt.Errorf("imap: create %s: %w", cfg.SentFolder, err)
		}
		err = appendTo(c, cfg.SentFolder, raw, at)
	}
	if err != nil {
		return fmt.Errorf("imap: append to %s: %w", cfg.SentFolder, err)
	}
	return c.Logout().Wait()
}

func appendTo(c *imapclient.Client, folder string, raw []byte, at time.Time) error {
	cmd := c.Append(folder, int64(len(raw)), &goimap.AppendOptions{Flags: []goimap.Flag{goimap.FlagSeen}, Time: at})
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err := cmd.Wait()
	return err
}
