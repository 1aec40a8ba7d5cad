-- Delivery bookkeeping for at-most-once sending over SMTP.
ALTER TABLE drafts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN next_attempt_at TEXT;
ALTER TABLE drafts ADD COLUMN sending_at TEXT;
ALTER TABLE drafts ADD COLUMN data_at TEXT;
ALTER TABLE drafts ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN response TEXT NOT NULL DEFAULT '';

-- Documents on file for an item (invoice copies, PODs), attached to notices.
CREATE TABLE documents (
    customer_id  TEXT NOT NULL,
    entity       TEXT NOT NULL,
    invoice      TEXT NOT NULL,
    kind         TEXT NOT NULL,  -- invoice_copy, pod, …
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (customer_id, entity, invoice, kind, name)
) WITHOUT ROWID;

-- A draft's words live apart from its state: senders update the state
-- several times per notice, and SQLite rewrites a whole row, overflow pages
-- and all, on every update.
CREATE TABLE draft_bodies (
    draft_id INTEGER PRIMARY KEY REFERENCES drafts (id),
    subject  TEXT NOT NULL,
    text     TEXT NOT NULL,
    html     TEXT NOT NULL,
    notice   TEXT NOT NULL  -- JSON of agent.Notice
);
INSERT INTO draft_bodies (draft_id, subject, text, html, notice) SELECT id, subject, text, html, notice FROM drafts;
ALTER TABLE drafts DROP COLUMN subject;
ALTER TABLE drafts DROP COLUMN text;
ALTER TABLE drafts DROP COLUMN html;
ALTER TABLE drafts DROP COLUMN notice;
