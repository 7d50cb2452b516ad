-- Flow records from every box, one row per (box, seq). Written so that the same script runs on
-- H2 and PostgreSQL: addresses are canonical text plus a family, times are unix milliseconds.
CREATE TABLE flows (
    box        VARCHAR(128) NOT NULL,
    seq        BIGINT       NOT NULL,
    time_ms    BIGINT       NOT NULL,
    hook       SMALLINT     NOT NULL,
    verdict    SMALLINT     NOT NULL,
    proto      SMALLINT     NOT NULL,
    family     SMALLINT     NOT NULL,
    src_addr   VARCHAR(45)  NOT NULL,
    dst_addr   VARCHAR(45)  NOT NULL,
    src_port   INTEGER      NOT NULL,
    dst_port   INTEGER      NOT NULL,
    in_iface   VARCHAR(32)  NOT NULL,
    out_iface  VARCHAR(32)  NOT NULL,
    rule_id    BIGINT       NOT NULL,
    generation BIGINT       NOT NULL,
    packets    BIGINT       NOT NULL,
    bytes      BIGINT       NOT NULL,
    CONSTRAINT flows_pk PRIMARY KEY (box, seq)
);

-- The viewer reads newest first; the ordering key (time, box, seq) makes keyset pages stable.
CREATE INDEX flows_time ON flows (time_ms, box, seq);
-- Address filters are the most selective ones the viewer offers.
CREATE INDEX flows_src ON flows (src_addr, time_ms);
CREATE INDEX flows_dst ON flows (dst_addr, time_ms);

-- Sequence ranges the collector knows it never received, so a loss is visible, not silent.
CREATE TABLE flow_gaps (
    box         VARCHAR(128) NOT NULL,
    first_seq   BIGINT       NOT NULL,
    last_seq    BIGINT       NOT NULL,
    detected_ms BIGINT       NOT NULL,
    CONSTRAINT flow_gaps_pk PRIMARY KEY (box, first_seq)
);
