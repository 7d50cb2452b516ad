-- Why a range has no record: a box's spool reports losses with their reason (spool full, corrupt
-- segment, ...); ranges the collector found missing on its own keep the default.
ALTER TABLE flow_gaps ADD COLUMN reason VARCHAR(100) DEFAULT 'not received' NOT NULL;
