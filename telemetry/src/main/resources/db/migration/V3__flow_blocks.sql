-- Flow records stored in blocks of up to 1,024 consecutive records of one box (see FlowBlock):
-- one row per record capped H2 near 40k records/s here, far below what a busy box sends.
-- A block's summary lives apart from its records so that a search scans summaries (time span,
-- verdicts present, a Bloom filter of its addresses) and reads records only where they can match.
CREATE TABLE flow_blocks (
    box       VARCHAR(128) NOT NULL,
    first_seq BIGINT       NOT NULL,
    last_seq  BIGINT       NOT NULL,
    n         INTEGER      NOT NULL,
    min_time  BIGINT       NOT NULL,
    max_time  BIGINT       NOT NULL,
    verdicts  INTEGER      NOT NULL,
    bloom     BYTEA        NOT NULL,
    CONSTRAINT flow_blocks_pk PRIMARY KEY (box, first_seq)
);
-- Newest first: blocks in order of their newest record, read a page of summaries at a time.
CREATE INDEX flow_blocks_time ON flow_blocks (max_time, box, first_seq);
-- Idempotent insert: which stored blocks can hold a sequence range of a box.
CREATE INDEX flow_blocks_last ON flow_blocks (box, last_seq);

CREATE TABLE flow_data (
    box       VARCHAR(128) NOT NULL,
    first_seq BIGINT       NOT NULL,
    data      BYTEA        NOT NULL,
    CONSTRAINT flow_data_pk PRIMARY KEY (box, first_seq)
);
