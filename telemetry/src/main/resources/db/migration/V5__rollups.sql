-- Rollups (see Rollups.java): a box's sequence numbers are cut into aligned ranges, 2^seq_shift
-- numbers per range, one size per level. Every range a box has moved past gets a row of sums
-- (per source, per minute, per rule) over exactly the records stored in it, so the aggregate
-- queries read rollups instead of decoding every block of a long window.
CREATE TABLE flow_rollup_levels (
    lvl       INTEGER NOT NULL,
    seq_shift INTEGER NOT NULL,
    CONSTRAINT flow_rollup_levels_pk PRIMARY KEY (lvl)
);
INSERT INTO flow_rollup_levels (lvl, seq_shift) VALUES (0, 18);
INSERT INTO flow_rollup_levels (lvl, seq_shift) VALUES (1, 22);

CREATE TABLE flow_rollups (
    box       VARCHAR(128) NOT NULL,
    lvl       INTEGER      NOT NULL,
    first_seq BIGINT       NOT NULL,
    n         BIGINT       NOT NULL,
    min_time  BIGINT       NOT NULL,
    max_time  BIGINT       NOT NULL,
    data      BYTEA        NOT NULL,
    CONSTRAINT flow_rollups_pk PRIMARY KEY (box, lvl, first_seq)
);
-- Which rollups a time window touches.
CREATE INDEX flow_rollups_time ON flow_rollups (max_time);

-- Per level-0 range and address-hash partition: which blocks may hold an address, so a search
-- for a rare or absent host reads a few short rows instead of every block's Bloom filter.
CREATE TABLE flow_host_index (
    box       VARCHAR(128) NOT NULL,
    first_seq BIGINT       NOT NULL,
    part      INTEGER      NOT NULL,
    data      BYTEA        NOT NULL,
    CONSTRAINT flow_host_index_pk PRIMARY KEY (box, first_seq, part)
);
