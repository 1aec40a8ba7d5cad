package smtp_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/smtp"
	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// fakeServer is an in-process SMTP server whose answers a test scripts.
type fakeServer struct {
	addr     string
	mu       sync.Mutex
	got      [][]byte
	sessions atomic.Int32
	// hooks; nil means accept
	mail func() error
	rcpt func(to string) error
	data func(c *gosmtp.Conn, r io.Reader) error
	auth bool // require AUTH PLAIN user/secret
}

type session struct {
	s     *fakeServer
	c     *gosmtp.Conn
	authd bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != "user" || pass != "secret" {
			return errors.New("bad credentials")
		}
		s.authd = true
		return nil
	}), nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if s.s.auth && !s.authd {
		return &gosmtp.SMTPError{Code: 530, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if s.s.mail != nil {
		return s.s.mail()
	}
	return nil
}
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if s.s.rcpt != nil {
		return s.s.rcpt(to)
	}
	return nil
}
func (s *session) Data(r io.Reader) error {
	if s.s.data != nil {
		return s.s.data(s.c, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.s.mu.Lock()
	s.s.got = append(s.s.got, b)
	s.s.mu.Unlock()
	return nil
}

func startServer(t *testing.T, fs *fakeServer) *fakeServer {
	t.Helper()
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		fs.sessions.Add(1)
		return &session{s: fs, c: c}, nil
	}))
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	fs.addr = l.Addr().String()
	return fs
}

func mailerFor(t *testing.T, fs *fakeServer, mod func(*smtp.Config)) *smtp.Mailer {
	t.Helper()
	host, port, _ := net.SplitHostPort(fs.addr)
	p, _ := strconv.Atoi(port)
	cfg := smtp.Config{Host: host, Port: p, TLS: smtp.TLSNone, Connections: 1, Timeout: 2 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	m, err := smtp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func testEmail(id string) *agent.Email {
	return &agent.Email{MessageID: id + "@northwind.example", Date: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		From: "ar@northwind.example", FromName: "Northwind", To: []string{"ap@mueller.example"},
		Subject: "Zahlungserinnerung", Text: strings.Repeat("Rechnung R-1 offen.\n", 200), HTML: "<p>Rechnung</p>",
		Language: "de"}
}

func TestSendReusesOneConnection(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, nil)
	for i := 0; i < 5; i++ {
		var dataCalls int
		e := testEmail("m" + strconv.Itoa(i))
		e.OnData = func() error { dataCalls++; return nil }
		r, err := m.Send(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if dataCalls != 1 || r == nil {
			t.Fatalf("OnData called %d times", dataCalls)
		}
	}
	if n := fs.sessions.Load(); n != 1 {
		t.Errorf("%d connections for 5 messages, want 1", n)
	}
	if len(fs.got) != 5 || !bytes.Contains(fs.got[0], []byte("Message-ID: <m0@northwind.example>")) {
		t.Errorf("server got %d messages", len(fs.got))
	}
}

// Messages larger than the connection's write buffer go straight
// through it, smaller ones through it; either way each arrives whole, and
// the next one's commands follow on the same connection.
func TestSendAroundTheWriteBuffer(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, nil)
	sizes := []int{10, 200 << 10, 30 << 10, 64 << 10, 1}
	for i, n := range sizes {
		e := testEmail("w" + strconv.Itoa(i))
		e.Attachments = []agent.Attachment{{Name: "big.bin", ContentType: "application/octet-stream",
			Data: bytes.Repeat([]byte{byte('a' + i)}, n)}}
		if _, err := m.Send(context.Background(), e); err != nil {
			t.Fatalf("message %d (%d bytes attached): %v", i, n, err)
		}
	}
	if n := fs.sessions.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	if len(fs.got) != len(sizes) {
		t.Fatalf("server got %d messages, want %d", len(fs.got), len(sizes))
	}
	for i, raw := range fs.got {
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		var got []byte
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				break
			}
			if strings.Contains(p.Header.Get("Content-Disposition"), "big.bin") {
				got, err = io.ReadAll(base64Reader(p))
				if err != nil {
					t.Fatalf("message %d: attachment: %v", i, err)
				}
			}
		}
		if want := bytes.Repeat([]byte{byte('a' + i)}, sizes[i]); !bytes.Equal(got, want) {
			t.Errorf("message %d: attachment of %d bytes came back as %d bytes", i, len(want), len(got))
		}
	}
}

// The message as sent comes back only when asked for (a copy for the Sent
// folder); the buffers of the others are reused, and must not leak into a
// receipt kept by the caller.
func TestSendKeepsRawWhenAsked(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, nil)
	var kept []*agent.Receipt
	for i := 0; i < 6; i++ {
		e := testEmail("k" + strconv.Itoa(i))
		e.KeepRaw = i%2 == 0
		r, err := m.Send(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if !e.KeepRaw {
			if r.Raw != nil {
				t.Errorf("message %d: Raw without KeepRaw", i)
			}
			continue
		}
		kept = append(kept, r)
	}
	for k, r := range kept {
		i := 2 * k
		if !bytes.Contains(r.Raw, []byte("Message-ID: <k"+strconv.Itoa(i)+"@northwind.example>")) {
			t.Errorf("message %d: Raw is another message's", i)
		}
		// The server got the same message, headers and all (it adds
		// none of its own here).
		if got := fs.got[i]; !bytes.Equal(bytes.ReplaceAll(r.Raw, []byte("\r\n"), []byte("\n")),
			bytes.ReplaceAll(got, []byte("\r\n"), []byte("\n"))) {
			t.Errorf("message %d: Raw (%d bytes) differs from what the server got (%d bytes)", i, len(r.Raw), len(got))
		}
	}
}

func TestSendFailuresAreTyped(t *testing.T) {
	tests := []struct {
		name      string
		fs        *fakeServer
		temporary bool
		uncertain bool
		code      int
		onData    bool // whether the data phase was reached
	}{
		{name: "4xx at MAIL", fs: &fakeServer{mail: func() error {
			return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}}, temporary: true, code: 451},
		{name: "5xx recipient", fs: &fakeServer{rcpt: func(string) error {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}}, code: 550},
		{name: "5xx content", fs: &fakeServer{data: func(_ *gosmtp.Conn, r io.Reader) error {
			io.Copy(io.Discard, r)
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 7, 1}, Message: "spam"}
		}}, code: 554, onData: true},
		{name: "4xx after data", fs: &fakeServer{data: func(_ *gosmtp.Conn, r io.Reader) error {
			io.Copy(io.Discard, r)
			return &gosmtp.SMTPError{Code: 452, EnhancedCode: gosmtp.EnhancedCode{4, 3, 1}, Message: "disk full"}
		}}, temporary: true, code: 452, onData: true},
		{name: "connection dropped mid-DATA", fs: &fakeServer{data: func(c *gosmtp.Conn, r io.Reader) error {
			io.CopyN(io.Discard, r, 100)
			c.Conn().Close()
			return errors.New("dropped")
		}}, uncertain: true, onData: true},
		{name: "server stalls after data", fs: &fakeServer{data: func(_ *gosmtp.Conn, r io.Reader) error {
			io.Copy(io.Discard, r)
			time.Sleep(6 * time.Second)
			return nil
		}}, uncertain: true, onData: true},
		{name: "server stalls at MAIL", fs: &fakeServer{mail: func() error {
			time.Sleep(4 * time.Second)
			return nil
		}}, temporary: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := startServer(t, tt.fs)
			m := mailerFor(t, fs, func(c *smtp.Config) { c.Timeout = time.Second })
			e := testEmail("x")
			reached := false
			e.OnData = func() error { reached = true; return nil }
			_, err := m.Send(context.Background(), e)
			var de *agent.DeliveryError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T), want *agent.DeliveryError", err, err)
			}
			if de.Temporary != tt.temporary || de.Uncertain != tt.uncertain || (tt.code != 0 && de.Code != tt.code) {
				t.Errorf("got temporary=%v uncertain=%v code=%d (%v), want %v %v %d", de.Temporary, de.Uncertain, de.Code,
					de, tt.temporary, tt.uncertain, tt.code)
			}
			if reached != tt.onData {
				t.Errorf("OnData reached = %v, want %v", reached, tt.onData)
			}
		})
	}
}

func TestPartialRecipientRejection(t *testing.T) {
	fs := startServer(t, &fakeServer{rcpt: func(to string) error {
		if strings.HasPrefix(strings.ToLower(to), "gone@") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	}})
	m := mailerFor(t, fs, nil)
	e := testEmail("p")
	e.To = []string{"ap@mueller.example", "Gone@mueller.example"}
	r, err := m.Send(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rejected) != 1 || r.Rejected[0].Recipient != "gone@mueller.example" || r.Rejected[0].Enhanced != "5.1.1" {
		t.Errorf("rejected = %+v", r.Rejected)
	}
}

func TestAuthAndSizeCap(t *testing.T) {
	fs := startServer(t, &fakeServer{auth: true})
	m := mailerFor(t, fs, func(c *smtp.Config) { c.Username, c.Password = "user", "secret" })
	if _, err := m.Send(context.Background(), testEmail("a")); err != nil {
		t.Fatalf("with AUTH PLAIN: %v", err)
	}
	// A refused login is the server's 454 here: temporary, so notices wait
	// for an admin to fix the password instead of failing one by one.
	bad := mailerFor(t, fs, func(c *smtp.Config) { c.Username, c.Password = "user", "wrong" })
	var de *agent.DeliveryError
	if _, err := bad.Send(context.Background(), testEmail("b")); !errors.As(err, &de) || de.Code != 454 {
		t.Errorf("bad password: %v, want the server's 454", err)
	}
	if len(fs.got) != 1 {
		t.Errorf("server got %d messages, want 1", len(fs.got))
	}
	small := mailerFor(t, fs, func(c *smtp.Config) { c.MaxMessageBytes = 1000; c.Username, c.Password = "user", "secret" })
	if _, err := small.Send(context.Background(), testEmail("c")); !errors.Is(err, smtp.ErrTooLarge) {
		t.Errorf("over the cap: %v", err)
	}
}

func TestStartTLSRequired(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, func(c *smtp.Config) { c.TLS = smtp.TLSStartTLS })
	_, err := m.Send(context.Background(), testEmail("t"))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("a server without STARTTLS must be refused when tls is starttls: %v", err)
	}
	if len(fs.got) != 0 {
		t.Error("message sent in the clear")
	}
}

func TestRateLimit(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, func(c *smtp.Config) { c.Rate = 20 })
	start := time.Now()
	for i := 0; i < 5; i++ {
		if _, err := m.Send(context.Background(), testEmail("r"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Errorf("5 messages at 20/s took %v, want ≥ 200ms less one burst", el)
	}
}

// With PIPELINING a deferred recipient is known only after DATA got its
// 354: the connection must be dropped, never ended with a lone dot that
// would deliver an empty message to the other recipient.
func TestPipelinedDeferralSendsNothing(t *testing.T) {
	fs := startServer(t, &fakeServer{rcpt: func(to string) error {
		if strings.HasPrefix(to, "later@") {
			return &gosmtp.SMTPError{Code: 450, EnhancedCode: gosmtp.EnhancedCode{4, 2, 0}, Message: "try later"}
		}
		return nil
	}})
	m := mailerFor(t, fs, nil)
	e := testEmail("d")
	e.To = []string{"ap@mueller.example", "later@mueller.example"}
	reached := false
	e.OnData = func() error { reached = true; return nil }
	_, err := m.Send(context.Background(), e)
	var de *agent.DeliveryError
	if !errors.As(err, &de) || !de.Temporary || de.Code != 450 || reached {
		t.Fatalf("err %v, OnData reached %v: want a temporary 450 before the data", err, reached)
	}
	// OnData refusing (the store could not record the moment) is the
	// same: nothing may reach the server.
	e = testEmail("o")
	e.OnData = func() error { return errors.New("store down") }
	if _, err := m.Send(context.Background(), e); err == nil {
		t.Fatal("OnData's error was dropped")
	}
	// The body may go out while OnData records, but the message must not
	// complete before OnData returns.
	e = testEmail("ok")
	e.OnData = func() error {
		time.Sleep(50 * time.Millisecond)
		fs.mu.Lock()
		defer fs.mu.Unlock()
		if len(fs.got) != 0 {
			t.Error("the message completed before OnData returned")
		}
		return nil
	}
	if _, err := m.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.got) != 1 || !bytes.Contains(fs.got[0], []byte("<ok@northwind.example>")) {
		t.Errorf("server got %d messages, want only the last one", len(fs.got))
	}
}

// A server without PIPELINING gets one command at a time: each line must
// be the only one waiting when it is read.
func TestWithoutPipelining(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type result struct {
		data string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			res <- result{err: err}
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		fmt.Fprintf(c, "220 old.example ESMTP\r\n")
		var data strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				res <- result{data.String(), err}
				return
			}
			if r.Buffered() > 0 {
				res <- result{err: fmt.Errorf("%q pipelined behind %q", must(r.Peek(r.Buffered())), line)}
				return
			}
			switch cmd := strings.ToUpper(strings.Fields(line)[0]); {
			case cmd == "EHLO":
				fmt.Fprintf(c, "250-old.example\r\n250 8BITMIME\r\n")
			case strings.HasPrefix(line, "MAIL FROM:<ar@northwind.example>"), strings.HasPrefix(line, "RCPT TO:<"):
				fmt.Fprintf(c, "250 ok\r\n")
			case cmd == "DATA":
				fmt.Fprintf(c, "354 go on\r\n")
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						res <- result{data.String(), err}
						return
					}
					if l == ".\r\n" {
						break
					}
					data.WriteString(l)
				}
				fmt.Fprintf(c, "250 queued as 42\r\n")
			case cmd == "QUIT":
				fmt.Fprintf(c, "221 bye\r\n")
				res <- result{data: data.String()}
				return
			default:
				fmt.Fprintf(c, "500 unexpected %q\r\n", line)
			}
		}
	}()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	p, _ := strconv.Atoi(port)
	m, err := smtp.New(smtp.Config{Host: host, Port: p, TLS: smtp.TLSNone, Connections: 1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := testEmail("w")
	e.Text = ".leading dot\n" + e.Text
	reached := false
	e.OnData = func() error { reached = true; return nil }
	r, err := m.Send(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	got := <-res
	if got.err != nil {
		t.Fatal(got.err)
	}
	if !reached || !strings.Contains(r.Response, "queued as 42") || !strings.Contains(got.data, "Message-ID: <w@northwind.example>") ||
		!strings.Contains(got.data, "\r\n..leading dot") {
		t.Errorf("reached %v, response %q, data:\n%s", reached, r.Response, got.data)
	}
}

func must[T any](v T, _ error) T { return v }

// Once the server has shown 8BITMIME, parts go as written (8bit) instead
// of quoted-printable; a part with a line too long for 8bit stays
// quoted-printable. Either way the text reads back the same.
func TestEightBitPartsAfter8BITMIME(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	m := mailerFor(t, fs, nil)
	text := "Sehr geehrte Damen und Herren,\nbitte überweisen Sie 1.234,56 € für R-1.\n"
	long := "<p>" + strings.Repeat("Größe ", 200) + "</p>"
	for i := 0; i < 2; i++ {
		e := testEmail("e" + strconv.Itoa(i))
		e.Text, e.HTML = text, long
		if _, err := m.Send(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.got) != 2 {
		t.Fatalf("server got %d messages, want 2", len(fs.got))
	}
	for i, raw := range fs.got {
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil {
			t.Fatal(err)
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var encs []string
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			enc := p.Header.Get("Content-Transfer-Encoding")
			encs = append(encs, enc)
			var r io.Reader = p
			if enc == "quoted-printable" {
				r = quotedprintable.NewReader(p)
			}
			body, _ := io.ReadAll(r)
			want := text
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
				want = long
			}
			if got := strings.ReplaceAll(string(body), "\r\n", "\n"); strings.TrimRight(got, "\n") != strings.TrimRight(want, "\n") {
				t.Errorf("message %d, %s part reads back %q", i, enc, got)
			}
		}
		// The first message is built before any connection showed
		// 8BITMIME; the second after.
		want := []string{"quoted-printable", "quoted-printable"}
		if i == 1 {
			want = []string{"8bit", "quoted-printable"}
		}
		if strings.Join(encs, ",") != strings.Join(want, ",") {
			t.Errorf("message %d: encodings %v, want %v", i, encs, want)
		}
	}
}

// With messages waiting, the next one's MAIL, RCPT and DATA follow the
// previous dot in the same write. Whatever the server answers, each caller
// must get its own message's verdict: a refusal at the dot, a refused
// recipient and a success in a row on one connection stay in step.
func TestPipelinedAheadKeepsRepliesInStep(t *testing.T) {
	fs := startServer(t, &fakeServer{})
	fs.rcpt = func(to string) error {
		if strings.HasPrefix(to, "nobody") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	}
	fs.data = func(c *gosmtp.Conn, r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("Subject: drop")) {
			// Gone after the whole message, before the answer: the
			// next one's commands behind the dot go down with it.
			c.Conn().Close()
			return errors.New("dropped")
		}
		if bytes.Contains(b, []byte("Subject: reject")) {
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "content refused"}
		}
		fs.mu.Lock()
		fs.got = append(fs.got, b)
		fs.mu.Unlock()
		return nil
	}
	m := mailerFor(t, fs, nil)
	const n = 60
	kinds := make([]string, n)
	errs := make([]error, n)
	onData := make([]atomic.Int32, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		kinds[i] = [...]string{"ok", "reject", "ok", "nobody", "ok", "drop"}[i%6]
		e := testEmail(fmt.Sprintf("p%d", i))
		switch kinds[i] {
		case "reject", "drop":
			e.Subject = kinds[i]
		case "nobody":
			e.To = []string{"nobody@mueller.example"}
		}
		e.OnData = func() error { onData[i].Add(1); return nil }
		e.QuickOnData = i%2 == 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = m.Send(context.Background(), e)
		}()
	}
	wg.Wait()
	ok := 0
	for i := 0; i < n; i++ {
		var de *agent.DeliveryError
		switch kinds[i] {
		case "ok":
			ok++
			if errs[i] != nil || onData[i].Load() != 1 {
				t.Errorf("message %d: %v, OnData %d times; want delivered", i, errs[i], onData[i].Load())
			}
		case "reject":
			if !errors.As(errs[i], &de) || de.Code != 554 || de.Temporary || onData[i].Load() != 1 {
				t.Errorf("message %d: %v, OnData %d times; want 554 at its dot", i, errs[i], onData[i].Load())
			}
		case "nobody":
			if !errors.As(errs[i], &de) || de.Code != 550 || onData[i].Load() != 0 {
				t.Errorf("message %d: %v, OnData %d times; want 550 before any data", i, errs[i], onData[i].Load())
			}
		case "drop":
			if !errors.As(errs[i], &de) || !de.Uncertain || onData[i].Load() != 1 {
				t.Errorf("message %d: %v, OnData %d times; want uncertain", i, errs[i], onData[i].Load())
			}
		}
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	seen := map[string]bool{}
	for _, b := range fs.got {
		id := regexp.MustCompile(`Message-ID: <(p\d+)@`).FindSubmatch(b)
		if id == nil || seen[string(id[1])] || kinds[must(strconv.Atoi(string(id[1][1:])))] != "ok" {
			t.Errorf("server took %q (twice or not an ok one)", id)
			continue
		}
		seen[string(id[1])] = true
	}
	if len(seen) != ok {
		t.Errorf("server took %d messages, want %d", len(seen), ok)
	}
}

func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
