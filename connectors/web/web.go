// Package web is the collectors' review queue in a browser and its JSON
// API, plus the daemon's /healthz and /metrics.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// Service is what the web side asks of the use cases.
type Service interface {
	Drafts(ctx context.Context, f agent.DraftFilter) ([]*agent.Draft, error)
	Draft(ctx context.Context, id int64) (*agent.Draft, error)
	Approve(ctx context.Context, id int64, who string) error
	Reject(ctx context.Context, id int64, who, reason string) error
	// Healthy reports whether the store answers.
	Healthy(ctx context.Context) error
}

//go:embed page.html
var pageFS embed.FS

var page = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"join": strings.Join,
}).ParseFS(pageFS, "page.html"))

// Server serves the UI, the API, health and metrics.
type Server struct {
	Service Service
	Log     *slog.Logger
	// User names the collector acting (from a reverse proxy's header in
	// production; "web" otherwise).
	UserHeader string

	mu      sync.Mutex
	metrics map[string]float64
}

// SetMetric records a gauge or counter for /metrics.
func (s *Server) SetMetric(name string, v float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metrics == nil {
		s.metrics = map[string]float64{}
	}
	s.metrics[name] = v
}

// AddMetric adds to a counter.
func (s *Server) AddMetric(name string, v float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metrics == nil {
		s.metrics = map[string]float64{}
	}
	s.metrics[name] += v
}

// Handler routes the requests.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metricsPage)
	mux.HandleFunc("GET /api/drafts", s.apiDrafts)
	mux.HandleFunc("GET /api/drafts/{id}", s.apiDraft)
	mux.HandleFunc("POST /api/drafts/{id}/approve", s.apiApprove)
	mux.HandleFunc("POST /api/drafts/{id}/reject", s.apiReject)
	mux.HandleFunc("GET /{$}", s.ui)
	mux.HandleFunc("POST /drafts/{id}/approve", s.uiApprove)
	mux.HandleFunc("POST /drafts/{id}/reject", s.uiReject)
	return mux
}

func (s *Server) user(r *http.Request) string {
	if s.UserHeader != "" {
		if u := r.Header.Get(s.UserHeader); u != "" {
			return u
		}
	}
	return "web"
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.Service.Healthy(ctx); err != nil {
		http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// metricsPage writes the Prometheus text format: drafts by state and what
// the jobs recorded.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	drafts, err := s.Service.Drafts(r.Context(), agent.DraftFilter{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	byState := map[agent.DraftState]int{}
	for _, d := range drafts {
		byState[d.State]++
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, "# HELP dunner_drafts Drafts by state.\n# TYPE dunner_drafts gauge")
	for _, st := range []agent.DraftState{agent.Drafted, agent.Approved, agent.Sending, agent.Retrying, agent.Delivered,
		agent.Failed, agent.Uncertain, agent.Rejected, agent.Withdrawn} {
		fmt.Fprintf(w, "dunner_drafts{state=%q} %d\n", st, byState[st])
	}
	s.mu.Lock()
	names := make([]string, 0, len(s.metrics))
	for k := range s.metrics {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, "%s %g\n", k, s.metrics[k])
	}
	s.mu.Unlock()
}

func (s *Server) pending(ctx context.Context) ([]*agent.Draft, error) {
	return s.Service.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Drafted, agent.Approved,
		agent.Retrying, agent.Failed, agent.Uncertain}})
}

func (s *Server) apiDrafts(w http.ResponseWriter, r *http.Request) {
	f := agent.DraftFilter{States: []agent.DraftState{agent.Drafted, agent.Approved}}
	if st := r.URL.Query().Get("state"); st == "all" {
		f.States = nil
	} else if st != "" {
		f.States = []agent.DraftState{agent.DraftState(st)}
	}
	f.CustomerID = r.URL.Query().Get("customer")
	drafts, err := s.Service.Drafts(r.Context(), f)
	if err != nil {
		writeError(w, err)
		return
	}
	if drafts == nil {
		drafts = []*agent.Draft{}
	}
	writeJSON(w, http.StatusOK, drafts)
}

func draftID(r *http.Request) (int64, error) {
	return strconv.ParseInt(r.PathValue("id"), 10, 64)
}

func (s *Server) apiDraft(w http.ResponseWriter, r *http.Request) {
	id, err := draftID(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not a draft id"})
		return
	}
	d, err := s.Service.Draft(r.Context(), id)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request) {
	id, err := draftID(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not a draft id"})
		return
	}
	if err := s.Service.Approve(r.Context(), id, s.user(r)); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "state": agent.Approved})
}

func (s *Server) apiReject(w http.ResponseWriter, r *http.Request) {
	id, err := draftID(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not a draft id"})
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body)
	if strings.TrimSpace(body.Reason) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "a reason is required"})
		return
	}
	if err := s.Service.Reject(r.Context(), id, s.user(r), body.Reason); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "state": agent.Rejected})
}

func (s *Server) ui(w http.ResponseWriter, r *http.Request) {
	drafts, err := s.pending(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, map[string]any{"Drafts": drafts, "Msg": r.URL.Query().Get("msg")}); err != nil {
		s.Log.Error("web: page", "err", err)
	}
}

func (s *Server) uiApprove(w http.ResponseWriter, r *http.Request) {
	id, err := draftID(r)
	msg := fmt.Sprintf("Draft %d approved.", id)
	if err == nil {
		err = s.Service.Approve(r.Context(), id, s.user(r))
	}
	if err != nil {
		msg = "Not approved: " + err.Error()
	}
	http.Redirect(w, r, "/?msg="+urlEscape(msg), http.StatusSeeOther)
}

func (s *Server) uiReject(w http.ResponseWriter, r *http.Request) {
	id, err := draftID(r)
	reason := strings.TrimSpace(r.FormValue("reason"))
	msg := fmt.Sprintf("Draft %d rejected.", id)
	switch {
	case err != nil:
	case reason == "":
		err = errors.New("a reason is required")
	default:
		err = s.Service.Reject(r.Context(), id, s.user(r), reason)
	}
	if err != nil {
		msg = "Not rejected: " + err.Error()
	}
	http.Redirect(w, r, "/?msg="+urlEscape(msg), http.StatusSeeOther)
}

func urlEscape(s string) string {
	r := strings.NewReplacer(" ", "+", "&", "%26", "#", "%23", "?", "%3F", "=", "%3D")
	return r.Replace(s)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var te *agent.ErrTransition
	switch {
	case errors.Is(err, agent.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case errors.As(err, &te):
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
}
