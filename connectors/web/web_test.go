package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/web"
)

type fake struct{ drafts map[int64]*agent.Draft }

func (f *fake) Drafts(_ context.Context, flt agent.DraftFilter) ([]*agent.Draft, error) {
	var out []*agent.Draft
	for id := int64(1); id <= int64(len(f.drafts)); id++ {
		d := f.drafts[id]
		ok := len(flt.States) == 0
		for _, s := range flt.States {
			ok = ok || d.State == s
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}
func (f *fake) Draft(_ context.Context, id int64) (*agent.Draft, error) {
	if d := f.drafts[id]; d != nil {
		return d, nil
	}
	return nil, agent.ErrNotFound
}
func (f *fake) move(id int64, to agent.DraftState) error {
	d := f.drafts[id]
	if d == nil {
		return agent.ErrNotFound
	}
	if !agent.CanMove(d.State, to) {
		return &agent.ErrTransition{ID: id, From: d.State, To: to}
	}
	d.State = to
	return nil
}
func (f *fake) Approve(_ context.Context, id int64, _ string) error {
	return f.move(id, agent.Approved)
}
func (f *fake) Reject(_ context.Context, id int64, _, _ string) error {
	return f.move(id, agent.Rejected)
}
func (f *fake) Healthy(context.Context) error { return nil }

func server() (*fake, *httptest.Server) {
	f := &fake{drafts: map[int64]*agent.Draft{
		1: {ID: 1, State: agent.Drafted, CustomerID: "C1", Subject: "Final notice <Müller & Söhne>", Text: "Pay now.", To: []string{"ap@x.example"}},
		2: {ID: 2, State: agent.Delivered, CustomerID: "C2", Subject: "Reminder"},
	}}
	s := &web.Server{Service: f, Log: slog.Default()}
	return f, httptest.NewServer(s.Handler())
}

func TestReviewPageAndActions(t *testing.T) {
	f, ts := server()
	defer ts.Close()
	res, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "Final notice &lt;Müller &amp; Söhne&gt;") || strings.Contains(string(body), "Reminder") {
		t.Errorf("review page shows the wrong drafts or unescaped text:\n%s", body)
	}
	res, _ = http.PostForm(ts.URL+"/drafts/1/reject", url.Values{"reason": {""}})
	if f.drafts[1].State != agent.Drafted {
		t.Error("reject without a reason must not act")
	}
	res, _ = http.PostForm(ts.URL+"/drafts/1/approve", nil)
	if f.drafts[1].State != agent.Approved || res.Request.URL.Path != "/" {
		t.Errorf("approve: state %s, landed on %s", f.drafts[1].State, res.Request.URL)
	}
}

func TestAPI(t *testing.T) {
	f, ts := server()
	defer ts.Close()
	res, _ := http.Get(ts.URL + "/api/drafts?state=all")
	var drafts []agent.Draft
	json.NewDecoder(res.Body).Decode(&drafts)
	if len(drafts) != 2 {
		t.Errorf("api drafts: %d", len(drafts))
	}
	res, _ = http.Post(ts.URL+"/api/drafts/2/approve", "application/json", nil)
	if res.StatusCode != http.StatusConflict {
		t.Errorf("approving a delivered draft: %d, want 409", res.StatusCode)
	}
	res, _ = http.Post(ts.URL+"/api/drafts/9/approve", "application/json", nil)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("missing draft: %d", res.StatusCode)
	}
	res, _ = http.Post(ts.URL+"/api/drafts/1/reject", "application/json", strings.NewReader(`{"reason":"paid by phone"}`))
	if res.StatusCode != http.StatusOK || f.drafts[1].State != agent.Rejected {
		t.Errorf("reject: %d, %s", res.StatusCode, f.drafts[1].State)
	}
	for _, p := range []string{"/healthz", "/metrics"} {
		res, _ := http.Get(ts.URL + p)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || (p == "/metrics" && !strings.Contains(string(b), `dunner_drafts{state="rejected"} 1`)) {
			t.Errorf("%s: %d %s", p, res.StatusCode, b)
		}
	}
}
