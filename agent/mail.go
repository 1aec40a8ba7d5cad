package agent

import (
	"context"
	"time"
)

// Email is a notice ready to leave: addresses, headers and both bodies.
type Email struct {
	MessageID  string // without angle brackets
	Date       time.Time
	From       string
	FromName   string
	ReplyTo    string
	To         []string
	Subject    string
	Text       string
	HTML       string
	Language   string
	InReplyTo  string
	References []string
	// DraftID ties the message to its draft for the outbox file name and logs.
	DraftID     int64
	Attachments []Attachment
}

// Attachment is a file sent with a notice (invoice copy, statement).
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Mailer delivers emails: over SMTP, or into an outbox directory when no
// server is configured. Send must be idempotent per MessageID where the
// medium allows it.
type Mailer interface {
	Send(ctx context.Context, e *Email) error
}
