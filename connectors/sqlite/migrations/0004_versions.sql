-- What decides whether an item may be dunned changes through two doors: a
-- ledger import, and what customers told us (disputes, promises, advices in
-- item_state). Each door turns a counter; a draft keeps the counters its
-- plan read, and while they stand still, sending it needs no re-check
-- against the ledger (SPEC §3) — the re-check reads every item again.
CREATE TABLE ledger_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO ledger_version VALUES (1, 1);
ALTER TABLE customer_state ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN basis INTEGER NOT NULL DEFAULT 0;

-- Triggers, not code in each writer: no later write path can forget them.
CREATE TRIGGER item_state_version_update AFTER UPDATE OF disputed, promised_date, advised_date ON item_state
BEGIN
    INSERT OR IGNORE INTO customer_state (customer_id) VALUES (NEW.customer_id);
    UPDATE customer_state SET version = version + 1 WHERE customer_id = NEW.customer_id;
END;
CREATE TRIGGER item_state_version_insert AFTER INSERT ON item_state
WHEN NEW.disputed <> 0 OR NEW.promised_date IS NOT NULL OR NEW.advised_date IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO customer_state (customer_id) VALUES (NEW.customer_id);
    UPDATE customer_state SET version = version + 1 WHERE customer_id = NEW.customer_id;
END;
CREATE TRIGGER item_state_version_delete AFTER DELETE ON item_state
BEGIN
    INSERT OR IGNORE INTO customer_state (customer_id) VALUES (OLD.customer_id);
    UPDATE customer_state SET version = version + 1 WHERE customer_id = OLD.customer_id;
END;
