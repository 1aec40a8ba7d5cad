package portal_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/portal"
	"github.com/dunnerhq/dunner/internal/testservers"
)

// flow is the declarative flow an admin would write for the fake portal.
func flow(srv *httptest.Server, bin string) portal.Config {
	return portal.Config{
		CustomerID: "C1001", URL: srv.URL, Username: "ar@northwind.example", Password: "s3cret!",
		Chromium: bin, Timeout: 10 * time.Second, Source: "test.yaml",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Login: []portal.Step{
			{Goto: "/login"},
			{Fill: "#username", Value: "{username}"},
			{Fill: "#password", Value: "{password}"},
			{Click: "#signin", Navigates: true},
			{Wait: "#search-form"},
		},
		Invoice: []portal.Step{
			{Goto: "{url}/invoices"},
			{Fill: "#q", Value: "{invoice}"},
			{Click: "#search", Navigates: true},
			{Wait: "#results"},
			{Table: &portal.Table{Rows: "#results tbody tr", Columns: map[string]string{
				"invoice": "Invoice #", "status": "status", "date": "Payment date", "reason": "Comments"}}},
			{Click: "a[data-invoice='{invoice}']", Navigates: true, IfFound: true},
			{Wait: "#detail", IfFound: true},
			{Download: "#invoice-copy", Kind: "invoice_copy", Via: "click", IfFound: true},
			{Download: "#pod", Kind: "pod", Name: "POD-{invoice}.pdf", Optional: true, IfFound: true},
		},
	}
}

// TestMain fails the package when a test left a Chromium behind: every
// visit must end its browser, whatever happened in it.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if left := leftBrowsers(); len(left) > 0 {
			fmt.Fprintf(os.Stderr, "chromium processes left behind: %v\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

// leftBrowsers lists processes started with one of our fresh profiles.
func leftBrowsers() []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), "dunner-chromium-") && strings.Contains(string(b), "--user-data-dir") {
			out = append(out, filepath.Base(filepath.Dir(p)))
		}
	}
	return out
}

func TestFetchFakePortal(t *testing.T) {
	bin := testservers.Chromium(t)
	srv := testservers.FakePortal(t)
	p, err := portal.New(flow(srv, bin))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := p.Fetch(ctx, agent.PortalRequest{CustomerID: "C1001",
		Invoices: []string{"INV-1001", "INV-1002", "INV-1003", "INV-1004", "INV-1005"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invoices) != 5 {
		t.Fatalf("got %d invoices, want 5: %+v", len(res.Invoices), res.Invoices)
	}
	want := []struct {
		status     agent.PortalStatus
		date       string
		reason     string
		docs       []string
		found      bool
		statusText string
	}{
		{agent.PortalScheduled, "2026-03-20", "", []string{"invoice_copy:INV-1001.pdf", "pod:POD-INV-1001.pdf"}, true, "Payment scheduled"},
		{agent.PortalPaid, "2026-03-01", "", []string{"invoice_copy:INV-1002.pdf"}, true, "Bezahlt"},
		{agent.PortalRejected, "", "Price differs from PO 4500013", []string{"invoice_copy:INV-1003.pdf"}, true, "Rejected"},
		{agent.PortalUnknown, "", "", nil, false, ""},
		{agent.PortalInReview, "", "", []string{"invoice_copy:INV-1005.pdf"}, true, "En revisión"},
	}
	for i, w := range want {
		got := res.Invoices[i]
		if got.Error != "" {
			t.Errorf("%s: error %s", got.Invoice, got.Error)
		}
		if got.Status != w.status || got.Found != w.found || got.Reason != w.reason || got.StatusText != w.statusText {
			t.Errorf("%s: got status %s found %v reason %q text %q, want %s %v %q %q", got.Invoice, got.Status, got.Found,
				got.Reason, got.StatusText, w.status, w.found, w.reason, w.statusText)
		}
		if d := got.Date; (w.date == "" && !d.IsZero()) || (w.date != "" && d.String() != w.date) {
			t.Errorf("%s: date %s, want %q", got.Invoice, d, w.date)
		}
		var docs []string
		for _, d := range got.Documents {
			docs = append(docs, d.Kind+":"+d.Name)
			if d.ContentType != "application/pdf" || !strings.HasPrefix(string(d.Data), "%PDF-") {
				t.Errorf("%s: %s is %s %q, want a PDF", got.Invoice, d.Name, d.ContentType, d.Data)
			}
			if d.FetchedAt.IsZero() {
				t.Errorf("%s: %s has no fetch time", got.Invoice, d.Name)
			}
		}
		if strings.Join(docs, ",") != strings.Join(w.docs, ",") {
			t.Errorf("%s: documents %v, want %v", got.Invoice, docs, w.docs)
		}
	}
}

func TestFetchFailures(t *testing.T) {
	bin := testservers.Chromium(t)
	srv := testservers.FakePortal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("wrong password", func(t *testing.T) {
		cfg := flow(srv, bin)
		cfg.Password = "Wr0ngPa55"
		cfg.Timeout = 2 * time.Second
		cfg.ScreenshotsDir = t.TempDir()
		p, err := portal.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Fetch(ctx, agent.PortalRequest{CustomerID: "C1001", Invoices: []string{"INV-1001"}})
		var se *portal.StepError
		if !errors.As(err, &se) {
			t.Fatalf("got %v, want a StepError", err)
		}
		if se.Section != "login" || se.Step != 5 || se.Selector != "#search-form" || se.Customer != "C1001" {
			t.Errorf("got %+v, want login step 5 #search-form of C1001", se)
		}
		for _, want := range []string{"portal C1001", "login step 5", `"#search-form"`, "timed out"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "Wr0ngPa55") {
			t.Errorf("error %q shows the password", err)
		}
		if se.Screenshot == "" {
			t.Fatal("no screenshot")
		}
		png, err := os.ReadFile(se.Screenshot)
		if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
			t.Errorf("screenshot %s: %v, not a PNG", se.Screenshot, err)
		}
		page, _ := os.ReadFile(strings.TrimSuffix(se.Screenshot, ".png") + ".html")
		if !strings.Contains(string(page), "Invalid credentials") {
			t.Errorf("the saved page does not show the login error: %.200s", page)
		}
	})

	t.Run("bad selector on one invoice", func(t *testing.T) {
		cfg := flow(srv, bin)
		cfg.Timeout = 2 * time.Second
		// The detail page of INV-1003 has no POD link and the step is
		// not optional: that invoice fails, the others still report.
		cfg.Invoice[len(cfg.Invoice)-1].Optional = false
		p, err := portal.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Fetch(ctx, agent.PortalRequest{CustomerID: "C1001", Invoices: []string{"INV-1003", "INV-1001"}})
		if err != nil {
			t.Fatal(err)
		}
		bad, good := res.Invoices[0], res.Invoices[1]
		for _, want := range []string{"portal C1001", "invoice step 9", `"#pod"`, "for invoice INV-1003"} {
			if !strings.Contains(bad.Error, want) {
				t.Errorf("error %q does not say %q", bad.Error, want)
			}
		}
		if bad.Status != agent.PortalRejected {
			t.Errorf("the failed invoice's table row was lost: %+v", bad)
		}
		if good.Error != "" || good.Status != agent.PortalScheduled || len(good.Documents) != 2 {
			t.Errorf("the next invoice suffered: %+v", good)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		p, err := portal.New(flow(srv, bin))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := p.Fetch(ctx, agent.PortalRequest{CustomerID: "C1001", Invoices: []string{"INV-1001"}}); err == nil {
			t.Fatal("a cancelled visit succeeded")
		}
	})
}

func TestClassify(t *testing.T) {
	rules := []portal.StatusRule{{Match: mustRe(`(?i)^Zahllauf`), Status: agent.PortalScheduled}}
	for text, want := range map[string]agent.PortalStatus{
		"Paid": agent.PortalPaid, "Bezahlt": agent.PortalPaid, "Pagada": agent.PortalPaid,
		"Approved": agent.PortalApproved, "Genehmigt": agent.PortalApproved, "Aprobada": agent.PortalApproved,
		"Scheduled": agent.PortalScheduled, "Zahlung geplant": agent.PortalScheduled, "Programada": agent.PortalScheduled,
		"Rejected": agent.PortalRejected, "Abgelehnt": agent.PortalRejected, "Rechazada": agent.PortalRejected,
		"In review": agent.PortalInReview, "In Prüfung": agent.PortalInReview, "En revisión": agent.PortalInReview,
		"Payment rejected": agent.PortalRejected, "Not paid": agent.PortalUnknown, "Unpaid": agent.PortalUnknown,
		"On hold - missing PO": agent.PortalDisputed, "Zahllauf 12": agent.PortalScheduled, "": agent.PortalUnknown,
		"Something else": agent.PortalUnknown, "Received": agent.PortalReceived,
	} {
		if got := portal.Classify(text, rules); got != want {
			t.Errorf("Classify(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, order, want string }{
		{"20.03.2026", "", "2026-03-20"}, {"2026-03-20", "MDY", "2026-03-20"}, {"03/20/2026", "MDY", "2026-03-20"},
		{"20/03/26", "", "2026-03-20"}, {"Mar 20, 2026", "", "2026-03-20"}, {"20 März 2026", "", "2026-03-20"},
		{"20 de marzo de 2026", "", "2026-03-20"}, {"Due 5. Mai 2026", "", "2026-05-05"},
	} {
		d, err := portal.ParseDate(c.in, c.order)
		if err != nil || d.String() != c.want {
			t.Errorf("ParseDate(%q, %q) = %s, %v; want %s", c.in, c.order, d, err, c.want)
		}
	}
	for _, bad := range []string{"", "31.02.2026", "soon"} {
		if d, err := portal.ParseDate(bad, ""); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", bad, d)
		}
	}
}

func mustRe(s string) *regexp.Regexp { return regexp.MustCompile(s) }
