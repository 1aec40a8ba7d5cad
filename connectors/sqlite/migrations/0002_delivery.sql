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
