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
	DraftID int64
	// Entity is the legal entity the notice is from: it may send through
	// its own server.
	Entity      string
	Attachments []Attachment
	// OnData, when set, is called right before the message data goes out
	// (SMTP DATA). From then on a failure without the server's answer
	// leaves the notice uncertain; an error from OnData aborts the send.
	OnData func() error
	// QuickOnData says OnData only writes locally and returns at once (a
	// journal, no round trip): the mailer then calls it just before the
	// data instead of beside the transfer, which would cost a goroutine's
	// scheduling on the way to the final dot.
	QuickOnData bool
	// KeepRaw asks for the message as sent in Receipt.Raw (for a copy in
	// the Sent folder); without it a mailer may reuse the memory.
	KeepRaw bool
}

// Receipt is what a mail server said when it took a message.
type Receipt struct {
	Response string
	// Raw is the message as sent, for a copy in the Sent folder, when
	// the Email asked for it (KeepRaw).
	Raw []byte
	// Rejected lists recipients the server refused while taking the
	// message for the others.
	Rejected []*DeliveryError
}

// DeliveryError is a typed delivery failure. Temporary failures (4xx,
// timeouts, dropped connections before the data went out) may be retried;
// permanent ones (5xx) may not; Uncertain ones happened after the data went
// out and before the answer came, so the server may have the message.
type DeliveryError struct {
	Temporary bool
	Uncertain bool
	Code      int    // SMTP reply code, 0 for network errors
	Enhanced  string // enhanced status code, e.g. 5.1.1
	Recipient string // set when one recipient was refused
	Err       error
}

func (e *DeliveryError) Error() string {
	kind := "permanent"
	switch {
	case e.Uncertain:
		kind = "uncertain"
	case e.Temporary:
		kind = "temporary"
	}
	msg := kind + " delivery failure"
	if e.Recipient != "" {
		msg += " for " + e.Recipient
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// Attachment is a file sent with a notice (invoice copy, statement).
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Mailer delivers emails: over SMTP, or into an outbox directory when no
// server is configured. Send must be safe for concurrent use; its errors
// are *DeliveryError where the cause is known.
type Mailer interface {
	Send(ctx context.Context, e *Email) (*Receipt, error)
}

// SentFolder keeps copies of sent notices in the shared mailbox, so
// collectors see them beside the replies.
type SentFolder interface {
	AppendSent(ctx context.Context, raw []byte, at time.Time) error
}

// Checkpoint is how far a mailbox folder has been read: UIDs are only
// comparable under one UIDVALIDITY.
type Checkpoint struct {
	UIDValidity uint32
	LastUID     uint32
}

// InboundRaw is one message as fetched, before parsing.
type InboundRaw struct {
	Mailbox, Folder string
	UIDValidity     uint32
	UID             uint32
	Size            int64
	Received        time.Time
	// Data holds the message, or File names a spool file for a large one;
	// TooLarge means neither: over the size cap.
	Data     []byte
	File     string
	TooLarge bool
}

// PendingMove is a processed message still to be filed on the server.
type PendingMove struct {
	UID    uint32
	Folder string
}

// Mailbox reads a shared mailbox. Poll hands the messages after the
// checkpoint to handle a batch at a time, in UID order. handle returns the
// folder to file each message in ("" leaves it) and saved, which blocks
// until the batch is recorded: Poll files messages only after that, so
// none leaves its folder unrecorded, while the next batch is already read
// and handled. Poll retries pending moves first, reports the moves done,
// and returns the new checkpoint.
type Mailbox interface {
	Poll(ctx context.Context, folder string, cp Checkpoint, pending []PendingMove,
		handle func([]*InboundRaw) (folders []string, saved func() error, err error),
		moved func(uids []uint32) error) (Checkpoint, error)
}

// MailWaiter is a Mailbox that can wait for new mail (IMAP IDLE).
type MailWaiter interface {
	Wait(ctx context.Context, folder string, max time.Duration) error
}
