package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/web"
	"github.com/dunnerhq/dunner/jobs"
	"github.com/robfig/cron/v3"
)

// reviewService joins the store and the use cases for the web side.
type reviewService struct {
	store agent.Store
	dun   *jobs.Dunning
}

func (r reviewService) Drafts(ctx context.Context, f agent.DraftFilter) ([]*agent.Draft, error) {
	return r.store.Drafts(ctx, f)
}
func (r reviewService) Draft(ctx context.Context, id int64) (*agent.Draft, error) {
	return r.store.Draft(ctx, id)
}
func (r reviewService) Approve(ctx context.Context, id int64, who string) error {
	return r.dun.Approve(ctx, id, who)
}
func (r reviewService) Reject(ctx context.Context, id int64, who, reason string) error {
	return r.dun.Reject(ctx, id, who, reason)
}
func (r reviewService) Healthy(ctx context.Context) error {
	if _, err := r.store.Draft(ctx, 0); err != nil && !errors.Is(err, agent.ErrNotFound) {
		return err
	}
	return nil
}

// cmdServe is the daemon: the jobs on their cron schedules, in the
// company's time zone, and the review UI, JSON API, /healthz and /metrics.
func (a *app) cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", "", "address of the web UI and API (default: web.listen)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := a.open(); err != nil {
		return err
	}
	addr := a.cfg.Web.Listen
	if *listen != "" {
		addr = *listen
	}
	ws := &web.Server{Service: reviewService{a.store, a.dun}, Log: a.log}
	c := cron.New(cron.WithLocation(a.dun.Zone),
		cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger), cron.Recover(cron.DiscardLogger)))
	job := func(name string, fn func(ctx context.Context) error) func() {
		return func() {
			start := time.Now()
			err := fn(a.ctx)
			ws.SetMetric(fmt.Sprintf("dunner_job_seconds{job=%q}", name), time.Since(start).Seconds())
			ws.SetMetric(fmt.Sprintf("dunner_job_last_run_timestamp{job=%q}", name), float64(time.Now().Unix()))
			if err != nil {
				ws.AddMetric(fmt.Sprintf("dunner_job_failures_total{job=%q}", name), 1)
				a.log.Error("job failed", "job", name, "err", err)
			}
		}
	}
	add := func(spec, name string, fn func(ctx context.Context) error) error {
		if _, err := c.AddFunc(spec, job(name, fn)); err != nil {
			return fmt.Errorf("schedule %s %q: %w", name, spec, err)
		}
		return nil
	}
	if err := add(a.cfg.Schedule.Plan, "plan", func(ctx context.Context) error {
		_, _, err := a.dun.Run(ctx, 0)
		return err
	}); err != nil {
		return err
	}
	if err := add(a.cfg.Schedule.Send, "send", func(ctx context.Context) error {
		_, err := a.send(0, 0)
		return err
	}); err != nil {
		return err
	}
	if sources := a.mailSources(""); len(sources) > 0 {
		if err := add(a.cfg.Schedule.Mail, "mail", func(ctx context.Context) error {
			_, err := a.dun.PollMail(ctx, sources)
			return err
		}); err != nil {
			return err
		}
	}
	if len(a.cfg.Portals) > 0 {
		sources, err := a.portalSources("")
		if err != nil {
			return err
		}
		if err := add(a.cfg.Schedule.Portals, "portals", func(ctx context.Context) error {
			_, err := a.dun.SyncPortals(ctx, sources, "")
			return err
		}); err != nil {
			return err
		}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: ws.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	c.Start()
	fmt.Fprintf(a.env.Stdout, "dunner serving on http://%s\n", l.Addr())
	a.log.Info("serving", "addr", l.Addr().String(), "plan", a.cfg.Schedule.Plan, "send", a.cfg.Schedule.Send)
	<-a.ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	<-c.Stop().Done() // let a running job finish its transaction
	return nil
}
