-- The levels items reached, one row per customer and entity: a notice
-- moves its twenty-odd items with one row written instead of one each
-- (levels.go has the format). Levels recorded before stay in item_state's
-- last_level and last_notice, and are read along with these.
CREATE TABLE item_levels (
    customer_id TEXT NOT NULL,
    entity      TEXT NOT NULL,
    levels      BLOB NOT NULL,
    PRIMARY KEY (customer_id, entity)
) WITHOUT ROWID;
