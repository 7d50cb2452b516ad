-- The spools a box's records came from. A box whose spool is wiped or replaced (a new spool_id)
-- numbers its records from 0 again; the collector stores each spool's records as an epoch of
-- their own, numbered above everything the box had stored before, so that no record of one spool
-- is taken for a copy of another's. Stored seq = base_seq + the box's own number.
CREATE TABLE box_spools (
    box             VARCHAR(128) NOT NULL,
    epoch           INTEGER      NOT NULL,
    -- NULL: the records stored before this table existed, from a spool nobody noted.
    spool_id        BIGINT,
    base_seq        BIGINT       NOT NULL,
    -- The box's first number collected in this epoch (0 for a new spool).
    first_seq       BIGINT       NOT NULL,
    -- The highest next_seq the box reported for this spool: what it had handed out when last seen.
    known_next      BIGINT       NOT NULL,
    started_ms      BIGINT       NOT NULL,
    first_record_ms BIGINT,
    -- For an epoch that replaced another: why, the previous spool's last number accounted for
    -- (its own numbering, -1 none) and how many it had handed out that were never received.
    reason          VARCHAR(100),
    prev_last_seq   BIGINT       NOT NULL,
    prev_lost       BIGINT       NOT NULL,
    CONSTRAINT box_spools_pk PRIMARY KEY (box, epoch)
);
