package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/connectors/imap"
	"github.com/dunnerhq/dunner/connectors/mailparse"
	"github.com/dunnerhq/dunner/jobs"
)

// mailSources are the configured mailboxes (or the one named).
func (a *app) mailSources(only string) []jobs.MailSource {
	var sources []jobs.MailSource
	for _, m := range a.cfg.Mailboxes {
		if only != "" && m.Name != only {
			continue
		}
		into := map[string]string{}
		for k, v := range defaultFolders {
			into[k] = v
		}
		for k, v := range m.FileInto {
			into[k] = v
		}
		sources = append(sources, jobs.MailSource{Name: m.Name, Folders: m.Folders, FileInto: into,
			Mailbox: &imap.Poller{Config: a.imapConfig(&m), MaxBytes: int64(m.MaxMessageMB) << 20}})
	}
	return sources
}

// defaultFolders are where processed messages are filed, per class.
var defaultFolders = map[string]string{
	"remittance": "Dunner/Remittances", "promise_to_pay": "Dunner/Promises", "dispute": "Dunner/Disputes",
	"auto_reply": "Dunner/Auto-replies", "bounce": "Dunner/Bounces", "other": "Dunner/Other",
}

func (a *app) cmdMail(sub string, args []string) error {
	fs := flag.NewFlagSet("mail "+sub, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	mailbox := fs.String("mailbox", "", "poll: only this mailbox")
	watch := fs.Bool("watch", false, "poll: keep running, woken by IMAP IDLE (or every --interval)")
	interval := fs.Duration("interval", 5*time.Minute, "poll --watch: the longest wait between passes")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "classify":
		if len(pos) != 1 {
			return usagef("mail classify: want one FILE.eml")
		}
		f, err := os.Open(pos[0])
		if err != nil {
			return usagef("%v", err)
		}
		defer f.Close()
		d := &jobs.Dunning{ParseMail: mailparse.Parse}
		msg, cls, err := d.ClassifyMail(f)
		if err != nil {
			return usagef("%s: %v", pos[0], err)
		}
		if *asJSON {
			return json.NewEncoder(a.env.Stdout).Encode(cls)
		}
		fmt.Fprintf(a.env.Stdout, "%s: %s (%s, confidence %.2f) %q\n", pos[0], cls.Class, cls.Language, cls.Confidence, msg.Subject)
		return nil
	case "poll":
		if err := a.open(); err != nil {
			return err
		}
		sources := a.mailSources(*mailbox)
		if len(sources) == 0 {
			if *mailbox != "" {
				return usagef("mail poll: no mailbox %q in %s", *mailbox, a.cfg.Path)
			}
			return usagef("mail poll: %s configures no mailboxes", a.cfg.Path)
		}
		if *watch {
			return a.dun.WatchMail(a.ctx, sources, *interval)
		}
		sum, err := a.dun.PollMail(a.ctx, sources)
		if *asJSON {
			json.NewEncoder(a.env.Stdout).Encode(sum)
		} else {
			var cls []string
			for k, v := range sum.Classes {
				cls = append(cls, fmt.Sprintf("%s %d", k, v))
			}
			fmt.Fprintf(a.env.Stdout, "%d messages (%d seen before): %s; %d tasks\n", sum.Messages, sum.Repeats,
				strings.Join(cls, ", "), sum.Tasks)
		}
		return err
	}
	return usagef("mail: unknown subcommand %q (classify, poll)", sub)
}
