-- Customers as imported from the master file; the config and defaults are
-- laid over them at run time, so only the imported values live here.
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,  -- JSON of agent.CustomerRecord
    updated_at TEXT NOT NULL
);

CREATE TABLE undeliverable (
    customer_id TEXT NOT NULL,
    email       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (customer_id, email)
);

-- Open items. The key starts with customer_id so a scan in key order is a
-- scan in customer order, which is what a dunning run reads. Dates are ISO
-- text and amounts decimal text: exact, and readable by the sqlite3 CLI.
CREATE TABLE items (
    customer_id   TEXT NOT NULL,
    entity        TEXT NOT NULL,
    invoice       TEXT NOT NULL,
    doc_type      TEXT NOT NULL,
    customer_name TEXT NOT NULL DEFAULT '',
    issue_date    TEXT,
    due_date      TEXT NOT NULL,
    currency      TEXT NOT NULL,
    amount        TEXT,
    open_amount   TEXT NOT NULL,
    po_number     TEXT NOT NULL DEFAULT '',
    dunning_block TEXT NOT NULL DEFAULT '',
    extra         TEXT,
    fp            INTEGER NOT NULL,  -- fingerprint of the row as imported
    open          INTEGER NOT NULL DEFAULT 1,
    closed_at     TEXT,
    PRIMARY KEY (customer_id, entity, invoice, doc_type)
) WITHOUT ROWID;

-- Dunning history and what customers told us, per (entity, customer,
-- invoice): it outlives payments, blocks and re-imports.
CREATE TABLE item_state (
    customer_id    TEXT NOT NULL,
    entity         TEXT NOT NULL,
    invoice        TEXT NOT NULL,
    last_level     INTEGER NOT NULL DEFAULT 0,
    last_notice    TEXT,
    reminded       INTEGER NOT NULL DEFAULT 0,
    disputed       INTEGER NOT NULL DEFAULT 0,
    dispute_reason TEXT NOT NULL DEFAULT '',
    promised_date  TEXT,
    advised_date   TEXT,
    PRIMARY KEY (customer_id, entity, invoice)
) WITHOUT ROWID;

CREATE TABLE customer_state (
    customer_id TEXT PRIMARY KEY,
    last_notice TEXT
);

CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    level       INTEGER NOT NULL,
    template    TEXT NOT NULL,
    language    TEXT NOT NULL,
    recipients  TEXT NOT NULL,  -- JSON array
    subject     TEXT NOT NULL,
    text        TEXT NOT NULL,
    html        TEXT NOT NULL,
    notice      TEXT NOT NULL,  -- JSON of agent.Notice
    state       TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    edited      INTEGER NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX drafts_state ON drafts (state, as_of);
CREATE INDEX drafts_customer ON drafts (customer_id);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    level       INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL,
    items       TEXT NOT NULL DEFAULT '[]',
    done        INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    due_date    TEXT
);
CREATE INDEX tasks_customer ON tasks (customer_id);

-- Append-only audit log.
CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_subject ON events (subject);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
