package imap

import (
	"context"
	"fmt"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Wait returns when folder may hold new mail: at once when the server
// announces some during IDLE, else after max. A server without IDLE is
// simply polled every max.
func (p *Poller) Wait(ctx context.Context, folder string, max time.Duration) error {
	cfg := p.Config
	cfg.defaults()
	// The connection is quiet while idling: allow it longer than max.
	cfg.Timeout = max + time.Minute
	news := make(chan struct{}, 1)
	c, err := dial(ctx, cfg, &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case news <- struct{}{}:
				default:
				}
			}
		},
	})
	if err != nil {
		return err
	}
	defer c.Close()
	timer := time.NewTimer(max)
	defer timer.Stop()
	caps := c.Caps()
	if !caps.Has(goimap.CapIdle) && !caps.Has(goimap.CapIMAP4rev2) {
		select {
		case <-timer.C:
		case <-ctx.Done():
		}
		return ctx.Err()
	}
	if _, err := c.Select(folder, &goimap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return fmt.Errorf("imap: select %s: %w", folder, err)
	}
	idle, err := c.Idle()
	if err != nil {
		return fmt.Errorf("imap: idle: %w", err)
	}
	select {
	case <-news:
	case <-timer.C:
	case <-ctx.Done():
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("imap: idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("imap: idle: %w", err)
	}
	c.Logout().Wait()
	return ctx.Err()
}
