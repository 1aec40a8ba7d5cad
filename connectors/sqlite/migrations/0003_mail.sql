-- Messages read from shared mailboxes: kept (compressed) for audit, with
-- what Dunner made of them. Nothing is ever deleted.
CREATE TABLE inbound (
    id           INTEGER PRIMARY KEY,
    mailbox      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    message_id   TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,
    received_at  TEXT,
    from_addr    TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    class        TEXT NOT NULL,
    result       TEXT NOT NULL,  -- JSON: classification, correlation, effects
    customer_id  TEXT NOT NULL DEFAULT '',
    draft_id     INTEGER,
    raw          BLOB,           -- gzip of the message as fetched
    size         INTEGER NOT NULL,
    move_to      TEXT NOT NULL DEFAULT '',
    moved        INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT NOT NULL,
    UNIQUE (mailbox, folder, uidvalidity, uid)
);
CREATE INDEX inbound_message ON inbound (message_id, sha256);
CREATE INDEX inbound_pending ON inbound (mailbox, folder, moved) WHERE moved = 0 AND move_to <> '';

CREATE TABLE mail_checkpoints (
    mailbox     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    PRIMARY KEY (mailbox, folder)
);

-- A customer's dunning may wait (an out-of-office reply with a return date).
ALTER TABLE customer_state ADD COLUMN paused_until TEXT;

CREATE INDEX drafts_message ON drafts (message_id);
