package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dunnerhq/dunner/agent"
)

func draftID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("not a draft ID: %q", s)
	}
	return id, nil
}

func (a *app) cmdDrafts(sub string, args []string) error {
	switch sub {
	case "list", "show", "approve", "reject", "edit", "delivered":
	default:
		return usagef("drafts: unknown subcommand %q", sub)
	}
	fs := flag.NewFlagSet("drafts "+sub, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	state := fs.String("state", "", "list: only drafts in this state (default: pending)")
	all := fs.Bool("all", false, "approve: every draft waiting for review")
	reason := fs.String("reason", "", "reject: why")
	var on dateFlag
	fs.Var(&on, "on", "delivered: the date it reached the customer (default: the draft's date)")
	subject := fs.String("subject", "", "edit: new subject")
	textFile := fs.String("text-file", "", "edit: file with the new plain-text body")
	htmlFile := fs.String("html-file", "", "edit: file with the new HTML body")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := a.open(); err != nil {
		return err
	}
	who := actor(a.env.Getenv)
	ctx := a.ctx
	switch sub {
	case "list":
		f := agent.DraftFilter{States: []agent.DraftState{agent.Drafted, agent.Approved}}
		if *state == "all" {
			f.States = nil
		} else if *state != "" {
			f.States = []agent.DraftState{agent.DraftState(*state)}
		}
		drafts, err := a.store.Drafts(ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			if drafts == nil {
				drafts = []*agent.Draft{}
			}
			return a.printJSON(drafts)
		}
		w := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tSTATE\tCUSTOMER\tKIND\tLEVEL\tLANG\tDATE\tSUBJECT")
		for _, d := range drafts {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, d.State, d.CustomerID, d.Kind, d.Level, d.Language, d.AsOf, d.Subject)
		}
		return w.Flush()
	case "show":
		if len(pos) != 1 {
			return usagef("drafts show: want one ID")
		}
		id, err := draftID(pos[0])
		if err != nil {
			return err
		}
		d, err := a.store.Draft(ctx, id)
		if err != nil {
			return notFound(err)
		}
		if *asJSON {
			return a.printJSON(d)
		}
		fmt.Fprintf(a.env.Stdout, "Draft %d (%s, %s level %d, %s)\nTo: %s\nSubject: %s\n\n%s\n", d.ID, d.State, d.Kind,
			d.Level, d.Language, strings.Join(d.To, ", "), d.Subject, d.Text)
		events, err := a.store.Events(ctx, fmt.Sprintf("draft:%d", d.ID))
		if err != nil {
			return err
		}
		fmt.Fprintln(a.env.Stdout, "\nHistory:")
		for _, ev := range events {
			fmt.Fprintf(a.env.Stdout, "  %s  %-16s %-10s %s\n", ev.At.Format("2006-01-02 15:04"), ev.Kind, ev.Actor, ev.Detail)
		}
		return nil
	case "approve":
		if *all {
			n, err := a.dun.ApproveAll(ctx, who)
			fmt.Fprintf(a.env.Stdout, "approved %d drafts\n", n)
			return err
		}
		if len(pos) == 0 {
			return usagef("drafts approve: want IDs or --all")
		}
		var errs []error
		for _, p := range pos {
			id, err := draftID(p)
			if err == nil {
				err = a.dun.Approve(ctx, id, who)
			}
			if err != nil {
				errs = append(errs, notFound(err))
				continue
			}
			fmt.Fprintf(a.env.Stdout, "approved %d\n", id)
		}
		return errors.Join(errs...)
	case "delivered":
		// An uncertain notice the collector found delivered.
		if len(pos) != 1 {
			return usagef("drafts delivered: want one ID")
		}
		id, err := draftID(pos[0])
		if err != nil {
			return err
		}
		if err := a.dun.ConfirmDelivered(ctx, id, who, on.d); err != nil {
			return notFound(err)
		}
		fmt.Fprintf(a.env.Stdout, "marked %d delivered\n", id)
		return nil
	case "reject":
		if len(pos) != 1 {
			return usagef("drafts reject: want one ID")
		}
		if strings.TrimSpace(*reason) == "" {
			return usagef("drafts reject: --reason is required")
		}
		id, err := draftID(pos[0])
		if err != nil {
			return err
		}
		if err := a.dun.Reject(ctx, id, who, *reason); err != nil {
			return notFound(err)
		}
		fmt.Fprintf(a.env.Stdout, "rejected %d\n", id)
		return nil
	case "edit":
		if len(pos) != 1 {
			return usagef("drafts edit: want one ID")
		}
		id, err := draftID(pos[0])
		if err != nil {
			return err
		}
		text, html := "", ""
		if *textFile != "" {
			b, err := os.ReadFile(*textFile)
			if err != nil {
				return usagef("%v", err)
			}
			text = string(b)
		}
		if *htmlFile != "" {
			b, err := os.ReadFile(*htmlFile)
			if err != nil {
				return usagef("%v", err)
			}
			html = string(b)
		}
		if *subject == "" && text == "" && html == "" {
			if text, err = a.editInEditor(id); err != nil {
				return err
			}
		}
		d, err := a.dun.Edit(ctx, id, who, *subject, text, html)
		if err != nil {
			return notFound(err)
		}
		fmt.Fprintf(a.env.Stdout, "edited %d (%s)\n", d.ID, d.State)
		return nil
	}
	return nil
}

// editInEditor opens the draft's text in $EDITOR, as git does for commit
// messages.
func (a *app) editInEditor(id int64) (string, error) {
	editor := a.env.Getenv("VISUAL")
	if editor == "" {
		editor = a.env.Getenv("EDITOR")
	}
	if editor == "" {
		return "", usagef("drafts edit: give --subject/--text-file/--html-file, or set $EDITOR")
	}
	d, err := a.store.Draft(a.ctx, id)
	if err != nil {
		return "", notFound(err)
	}
	f, err := os.CreateTemp("", fmt.Sprintf("dunner-draft-%d-*.txt", id))
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	f.WriteString(d.Text)
	f.Close()
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "editor", f.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("editor: %w", err)
	}
	b, err := os.ReadFile(f.Name())
	return string(b), err
}

// notFound turns a missing draft into bad input (exit 2).
func notFound(err error) error {
	if errors.Is(err, agent.ErrNotFound) {
		return usagef("%v", err)
	}
	return err
}
