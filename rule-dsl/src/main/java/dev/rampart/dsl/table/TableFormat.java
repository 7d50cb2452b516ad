// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

/**
 * The numbers of the table format (docs/table-format.md), shared by the writer, the reader and the
 * walker; the C core's rampart_core.h carries the same ones.
 */
public final class TableFormat {
    private TableFormat() {}

    public static final byte[] MAGIC = {'R', 'M', 'P', 'T'};
    public static final int VERSION_MAJOR = 1, VERSION_MINOR = 0;
    public static final int HEADER_SIZE = 136;
    public static final int MAX_DEPTH = 64;
    public static final int MAX_CUT_BITS = 8;

    public static final int SEC_STRINGS = 0, SEC_RULES = 1, SEC_NAMES = 2, SEC_CHAINS = 3, SEC_SETS = 4,
            SEC_TERMS = 5, SEC_EXTS = 6, SEC_INTERVALS = 7, SEC_TREES = 8, SEC_NODES = 9, SEC_REFS = 10,
            SEC_LEAVES = 11, SEC_LEAFTERMS = 12, SEC_COUNT = 13;
    static final int[] ELEM_SIZE = {1, 8, 8, 32, 24, 32, 8, 32, 24, 8, 4, 8, 4};
    public static final String[] SECTION_NAMES = {"strings", "rules", "names", "chains", "sets", "terms",
        "exts", "intervals", "trees", "nodes", "refs", "leaves", "leafterms"};

    /** Key words: the values a tree node can cut on and the walker reads. */
    public static final int W_SRC_HI = 0, W_SRC_LO = 1, W_DST_HI = 2, W_DST_LO = 3, W_PROTO = 4, W_SPORT = 5,
            W_DPORT = 6, W_ICMP_TYPE = 7, W_ICMP_CODE = 8, W_TCP_FLAGS = 9, W_STATE = 10, W_IIF_HI = 11,
            W_IIF_LO = 12, W_OIF_HI = 13, W_OIF_LO = 14, W_COUNT = 15;

    /** IPv4 flags as found at {@link #TERM_V4_SHIFT} of a term's word 0. */
    public static final int TERM_SRC_V4 = 1, TERM_DST_V4 = 2;
    public static final int TERM_RULE_MASK = 0x00ff_ffff, TERM_EXTS_SHIFT = 24, TERM_V4_SHIFT = 28,
            TERM_PROTO_ANY = 0x4000_0000, TERM_RESERVED = 0x8000_0000, TERM_EXT_MASK = 0x00ff_ffff;
    public static final int MAX_TERM_EXTS = 15;
    public static final int EXT_INTERVALS = 1, EXT_SET = 2, EXT_SET_NEGATED = 0x8000;
    public static final int REF_LEAF = 0x8000_0000;
    public static final int RULE_LOG = 1, RULE_COUNT = 2;
    public static final int MAX_EXT_INTERVALS = 0xffff;

    /** Error codes of verification, identical to enum rampart_error in the C core. */
    public static final int E_SHORT = 1, E_MAGIC = 2, E_VERSION = 3, E_LENGTH = 4, E_CHECKSUM = 5, E_FLAGS = 6,
            E_SECTION = 7, E_LIMIT = 8, E_STRING = 9, E_RULE = 10, E_CHAIN = 11, E_SET = 12, E_TERM = 13,
            E_EXT = 14, E_INTERVAL = 15, E_TREE = 16, E_NODE = 17, E_REF = 18, E_LEAF = 19;
    static final String[] ERROR_NAMES = {"ok", "short", "magic", "version", "length", "checksum", "flags",
        "section", "limit", "string", "rule", "chain", "set", "term", "ext", "interval", "tree", "node", "ref",
        "leaf"};

    public static String errorName(int code) {
        return code >= 0 && code < ERROR_NAMES.length ? ERROR_NAMES[code] : "unknown(" + code + ")";
    }

    /** Bits of each IR field in Field ordinal order. */
    static final int[] FIELD_BITS = {128, 128, 8, 16, 16, 8, 8, 8, 2, 128, 128};
    /** Key word holding the high half of each field, or -1 for fields narrower than 64 bits. */
    static final int[] FIELD_HI = {W_SRC_HI, W_DST_HI, -1, -1, -1, -1, -1, -1, -1, W_IIF_HI, W_OIF_HI};
    static final int[] FIELD_LO = {W_SRC_LO, W_DST_LO, W_PROTO, W_SPORT, W_DPORT, W_ICMP_TYPE, W_ICMP_CODE,
        W_TCP_FLAGS, W_STATE, W_IIF_LO, W_OIF_LO};
}
