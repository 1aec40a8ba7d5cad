package testservers

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FakePortalUser and FakePortalPassword log in to FakePortal.
const (
	FakePortalUser     = "ar@northwind.example"
	FakePortalPassword = "s3cret!"
)

// fakeInvoice is one invoice as FakePortal knows it.
type fakeInvoice struct {
	number, po, status, date, comment string
	pod                               bool
}

var fakeInvoices = []fakeInvoice{
	{"INV-1001", "4500011", "Payment scheduled", "20.03.2026", "", true},
	{"INV-1002", "4500012", "Bezahlt", "01.03.2026", "", false},
	{"INV-1003", "4500013", "Rejected", "", "Price differs from PO 4500013", false},
	{"INV-1005", "4500015", "En revisión", "", "", false},
}

// FakePortal starts a supplier portal of the Coupa kind: a login form that sets
// a session cookie, an invoice search with a results table, and a detail
// page with the invoice copy (an attachment) and, for some, a POD. Every
// page but the login answers a request without the session with the login
// page, as real portals do, so a download without the cookies yields HTML.
func FakePortal(t testing.TB) *httptest.Server {
	const session = "s3ss10n-t0k3n"
	authed := func(r *http.Request) bool {
		c, err := r.Cookie("sid")
		return err == nil && c.Value == session
	}
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title></head><body><header>Acme Supplier Portal</header>%s</body></html>`,
			title, body)
	}
	loginPage := func(w http.ResponseWriter, msg string) {
		page(w, "Sign in", `<form id="login" method="post" action="/login">`+msg+`
			<label>User <input id="username" name="username"></label>
			<label>Password <input id="password" name="password" type="password"></label>
			<button id="signin" type="submit">Sign in</button></form>`)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if r.FormValue("username") == FakePortalUser && r.FormValue("password") == FakePortalPassword {
				http.SetCookie(w, &http.Cookie{Name: "sid", Value: session, Path: "/", HttpOnly: true})
				http.Redirect(w, r, "/invoices", http.StatusSeeOther)
				return
			}
			loginPage(w, `<p class="error">Invalid credentials</p>`)
			return
		}
		loginPage(w, "")
	})
	mux.HandleFunc("/invoices", func(w http.ResponseWriter, r *http.Request) {
		if !authed(r) {
			loginPage(w, "")
			return
		}
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		var b strings.Builder
		b.WriteString(`<form id="search-form" action="/invoices"><input id="q" name="q" placeholder="Invoice number">
			<button id="search" type="submit">Search</button></form>`)
		if q != "" {
			b.WriteString(`<table id="results"><thead><tr><th>Invoice #</th><th>PO</th><th>Status</th>
				<th>Payment date</th><th>Comments</th></tr></thead><tbody>`)
			for _, inv := range fakeInvoices {
				if !strings.Contains(inv.number, q) {
					continue
				}
				fmt.Fprintf(&b, `<tr><td><a href="/invoices/%[1]s" data-invoice="%[1]s">%[1]s</a></td><td>%s</td>
					<td><span class="badge">%s</span></td><td>%s</td><td>%s</td></tr>`,
					inv.number, inv.po, html.EscapeString(inv.status), inv.date, html.EscapeString(inv.comment))
			}
			b.WriteString(`</tbody></table>`)
		}
		page(w, "Invoices", b.String())
	})
	mux.HandleFunc("/invoices/{n}", func(w http.ResponseWriter, r *http.Request) {
		if !authed(r) {
			loginPage(w, "")
			return
		}
		for _, inv := range fakeInvoices {
			if inv.number == r.PathValue("n") {
				body := fmt.Sprintf(`<h1 id="detail">%[1]s</h1><p>Status: %s</p>
					<button id="invoice-copy" onclick="location.href='/files/%[1]s.pdf'">Download invoice</button>`,
					inv.number, html.EscapeString(inv.status))
				if inv.pod {
					body += fmt.Sprintf(`<a id="pod" href="/files/%s-POD.pdf">Proof of delivery</a>`, inv.number)
				}
				page(w, inv.number, body)
				return
			}
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("/files/{name}", func(w http.ResponseWriter, r *http.Request) {
		if !authed(r) {
			loginPage(w, "")
			return
		}
		name := r.PathValue("name")
		if strings.Contains(name, "-POD") {
			// Served inline as octet-stream, as some portals do: the
			// connector fetches it by href and sniffs the type.
			w.Header().Set("Content-Type", "application/octet-stream")
		} else {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		}
		fmt.Fprintf(w, "%%PDF-1.4\n%% %s\n%%%%EOF\n", name)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}
