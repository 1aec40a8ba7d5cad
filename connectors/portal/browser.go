package portal

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

// browser is one Chromium process and rod's connection to it.
type browser struct {
	rod     *rod.Browser
	l       *launcher.Launcher
	profile string
}

// launch starts Chromium with a fresh profile. Leakless is off: it would
// extract a helper binary into the temp directory, which fails on noexec
// mounts; the process group is killed in close instead.
func launch(ctx context.Context, bin string) (*browser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("chromium: %w (install Debian's chromium or set DUNNER_CHROMIUM)", err)
	}
	profile, err := os.MkdirTemp("", "dunner-chromium-")
	if err != nil {
		return nil, fmt.Errorf("chromium profile: %w", err)
	}
	l := launcher.New().Context(ctx).Bin(bin).Leakless(false).Headless(true).NoSandbox(true).
		UserDataDir(profile).
		Set("disable-gpu").Set("disable-quic").Set("no-first-run").Set("disable-background-networking").
		Set("disable-component-update").Set("disable-sync").Set("disable-extensions").
		Set("remote-debugging-address", "127.0.0.1")
	u, err := l.Launch()
	if err != nil {
		killGroup(l.PID()) // not l.Kill: it sleeps a second first
		os.RemoveAll(profile)
		return nil, fmt.Errorf("starting chromium: %w", err)
	}
	b := &browser{l: l, profile: profile}
	rb := rod.New().ControlURL(u).Context(ctx)
	if err := rb.Connect(); err != nil {
		b.close()
		return nil, fmt.Errorf("connecting to chromium: %w", err)
	}
	b.rod = rb
	return b, nil
}

// close asks Chromium to quit, then kills what is left of its process group
// and removes the profile: no test or cron run may leave a browser behind.
func (b *browser) close() {
	if b.rod != nil {
		// The visit's context may be done; closing must still work.
		_ = b.rod.Context(context.Background()).Timeout(5 * time.Second).Close()
	}
	exited := make(chan struct{})
	go func() {
		b.l.Cleanup() // waits for the main process, removes the profile
		close(exited)
	}()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
	killGroup(b.l.PID())
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
	os.RemoveAll(b.profile)
}

func protoBlank() proto.TargetCreateTarget { return proto.TargetCreateTarget{URL: "about:blank"} }

// tableJS reads a table in one round trip: header positions by text
// (exact, then prefix, case and spacing ignored), then each row's fields.
const tableJS = `(rowsSel, cols, cells) => {
	const norm = s => (s || '').replace(/\s+/g, ' ').trim();
	const rows = Array.from(document.querySelectorAll(rowsSel));
	const idx = {}, missing = [];
	if (rows.length && Object.keys(cols).length) {
		const table = rows[0].closest('table');
		let hdr = table ? table.querySelectorAll('thead th, thead td') : [];
		if (!hdr.length && table) {
			const first = table.querySelector('tr');
			hdr = first ? first.querySelectorAll('th, td') : [];
		}
		const names = Array.from(hdr).map(h => norm(h.textContent).toLowerCase());
		for (const [f, h] of Object.entries(cols)) {
			const want = norm(h).toLowerCase();
			let i = names.indexOf(want);
			if (i < 0) i = names.findIndex(n => n.startsWith(want));
			if (i < 0) missing.push(h);
			idx[f] = i;
		}
	}
	const out = [];
	for (const r of rows) {
		const own = Array.from(r.children).filter(c => c.tagName === 'TD' || c.tagName === 'TH');
		if (own.length && own.every(c => c.tagName === 'TH')) continue;
		const rec = {};
		for (const [f, i] of Object.entries(idx)) rec[f] = i >= 0 && i < own.length ? norm(own[i].innerText) : '';
		for (const [f, s] of Object.entries(cells)) {
			const c = r.querySelector(s);
			rec[f] = c ? norm(c.innerText) : '';
		}
		out.push(rec);
	}
	return {rows: out, missing: missing};
}`

type tableResult struct {
	Rows    []map[string]string `json:"rows"`
	Missing []string            `json:"missing"`
}

// readTable records the rows that name an invoice. Rows are read as they
// are: the step before should wait for the results.
func (v *visit) readTable(page *rod.Page, t *Table) error {
	cols, cells := map[string]string{}, map[string]string{}
	for k, s := range t.Columns {
		cols[k] = v.expand(s, false)
	}
	for k, s := range t.Cells {
		cells[k] = v.expand(s, false)
	}
	obj, err := page.Eval(tableJS, v.expand(t.Rows, false), cols, cells)
	if err != nil {
		return fmt.Errorf("reading the table: %w", wrapTimeout(err))
	}
	var res tableResult
	if err := obj.Value.Unmarshal(&res); err != nil {
		return fmt.Errorf("reading the table: %w", err)
	}
	if len(res.Missing) > 0 {
		return fmt.Errorf("no column headed %q in the table", strings.Join(res.Missing, `", "`))
	}
	n := 0
	for _, r := range res.Rows {
		inv := r[FieldInvoice]
		if inv == "" && v.invoice != "" {
			// A detail page's table may not repeat the number.
			inv = v.invoice
		}
		if inv == "" {
			continue
		}
		v.rows[normInvoice(inv)] = r
		n++
	}
	v.p.cfg.Log.Debug("portal table", "customer", v.p.cfg.CustomerID, "rows", n, "invoice", v.invoice)
	return nil
}

// downloadHref fetches a link's target with the page's cookies: robust
// where the browser would open a PDF instead of saving it.
func (v *visit) downloadHref(ctx context.Context, page *rod.Page, el *rod.Element) (*agent.Document, error) {
	href, err := el.Property("href")
	if err != nil {
		return nil, fmt.Errorf("reading the link: %w", wrapTimeout(err))
	}
	target := href.String()
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("the link has no http(s) target: %q", target)
	}
	cookies, err := page.Cookies([]string{target})
	if err != nil {
		return nil, fmt.Errorf("reading cookies: %w", wrapTimeout(err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	if info, err := page.Info(); err == nil {
		req.Header.Set("Referer", info.URL)
	}
	if ua, err := page.Eval(`() => navigator.userAgent`); err == nil {
		req.Header.Set("User-Agent", ua.Value.String())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", u.Redacted(), wrapTimeout(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading %s: %s", u.Redacted(), resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, v.p.cfg.MaxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", u.Redacted(), wrapTimeout(err))
	}
	if int64(len(data)) > v.p.cfg.MaxDownload {
		return nil, fmt.Errorf("downloading %s: larger than %d bytes", u.Redacted(), v.p.cfg.MaxDownload)
	}
	ct := resp.Header.Get("Content-Type")
	if isHTML(ct) {
		// A login page instead of the file: the session did not carry.
		return nil, fmt.Errorf("downloading %s: got a web page (%s), not a document", u.Redacted(), ct)
	}
	name := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	if name == "" {
		name = path.Base(u.Path)
	}
	return &agent.Document{Name: name, ContentType: contentType(ct, data), Data: data}, nil
}

// downloadClick clicks el and takes the file Chromium saves, watched with
// the Browser domain's download events (Page.downloadWillBegin, which
// rod's WaitDownload uses, is deprecated in Chromium).
func (v *visit) downloadClick(ctx context.Context, el *rod.Element) (*agent.Document, error) {
	b := v.b.rod.Context(ctx)
	if err := (proto.BrowserSetDownloadBehavior{Behavior: proto.BrowserSetDownloadBehaviorBehaviorAllowAndName,
		DownloadPath: v.dlDir, EventsEnabled: true}).Call(b); err != nil {
		return nil, fmt.Errorf("allowing downloads: %w", wrapTimeout(err))
	}
	var begin *proto.BrowserDownloadWillBegin
	var state proto.BrowserDownloadProgressState
	wait := b.EachEvent(func(e *proto.BrowserDownloadWillBegin) {
		begin = e
	}, func(e *proto.BrowserDownloadProgress) bool {
		if begin == nil || e.GUID != begin.GUID {
			return false
		}
		state = e.State
		return e.State == proto.BrowserDownloadProgressStateCompleted || e.State == proto.BrowserDownloadProgressStateCanceled
	})
	if err := el.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return nil, fmt.Errorf("clicking: %w", wrapTimeout(err))
	}
	wait()
	switch {
	case begin == nil:
		return nil, fmt.Errorf("the click started no download: %w", cmpErr(ctx.Err(), errTimeout))
	case state != proto.BrowserDownloadProgressStateCompleted:
		return nil, fmt.Errorf("download of %s did not complete (%s): %w", begin.SuggestedFilename, cmpOr(string(state), "no progress"),
			cmpErr(ctx.Err(), errTimeout))
	}
	file := filepath.Join(v.dlDir, begin.GUID)
	defer os.Remove(file)
	fi, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("the downloaded file: %w", err)
	}
	if fi.Size() > v.p.cfg.MaxDownload {
		return nil, fmt.Errorf("download %s larger than %d bytes", begin.SuggestedFilename, v.p.cfg.MaxDownload)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("the downloaded file: %w", err)
	}
	return &agent.Document{Name: begin.SuggestedFilename, ContentType: contentType(mime.TypeByExtension(path.Ext(begin.SuggestedFilename)), data),
		Data: data}, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func isHTML(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// contentType trusts the content over a vague server type: portals often
// serve PDFs as application/octet-stream.
func contentType(given string, data []byte) string {
	mt, _, _ := mime.ParseMediaType(given)
	if mt != "" && mt != "application/octet-stream" {
		return mt
	}
	if sniffed := http.DetectContentType(data); sniffed != "" {
		mt, _, _ = mime.ParseMediaType(sniffed)
		return mt
	}
	return "application/octet-stream"
}
