// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.util.zip.CRC32C;

import static dev.rampart.dsl.table.TableFormat.*;

/**
 * Verifies a blob exactly as the C core's verify.c does (same checks, same order, same error code
 * and byte offset), so the Java walker never trusts a blob either and both refuse the same ones.
 */
public final class TableReader {
    private TableReader() {}

    /** Configured size limits; {@link #DEFAULT} matches rampart_default_limits(). */
    public record Limits(long maxTotalLength, long maxRules, long maxTerms, long maxNodes, long maxLeafTerms,
                         long maxLeafSize) {
        public static final Limits DEFAULT = new Limits(256L << 20, 1L << 22, 1L << 23, 1L << 24, 1L << 26, 1L << 20);
    }

    /** Either a verified table or the reason it was refused. */
    public record Loaded(Table table, TableError error) {
        public boolean ok() { return table != null; }
    }

    public static Loaded read(byte[] blob) { return read(blob, Limits.DEFAULT); }

    public static Loaded read(byte[] blob, Limits lim) {
        Table t = new Table(blob);
        try {
            header(t, lim);
            rulesSets(t);
            terms(t);
            chains(t, lim);
        } catch (Refused r) {
            return new Loaded(null, new TableError(r.code, r.offset));
        }
        return new Loaded(t, null);
    }

    private static final class Refused extends Exception {
        final int code;
        final long offset;

        Refused(int code, long offset) {
            super(null, null, false, false);
            this.code = code;
            this.offset = offset;
        }
    }

    private static Refused fail(int code, long offset) { return new Refused(code, offset); }

    private static final int[] FIELD_BITS_ = FIELD_BITS;

    private static void header(Table t, Limits lim) throws Refused {
        byte[] b = t.blob;
        if (b.length < HEADER_SIZE) throw fail(E_SHORT, b.length);
        for (int i = 0; i < 4; i++) if (b[i] != MAGIC[i]) throw fail(E_MAGIC, 0);
        if (t.u16(4) != VERSION_MAJOR) throw fail(E_VERSION, 4);
        long total = t.u32(8);
        if (total > b.length) throw fail(E_SHORT, 8);
        if (total != b.length) throw fail(E_LENGTH, 8);
        if (total > lim.maxTotalLength()) throw fail(E_LIMIT, 8);
        CRC32C crc = new CRC32C();
        crc.update(b, 16, (int) total - 16);
        if (crc.getValue() != t.u32(12)) throw fail(E_CHECKSUM, 12);
        if (t.u32(24) != 0) throw fail(E_FLAGS, 24);
        long depth = t.u32(28);
        if (depth > MAX_DEPTH) throw fail(E_LIMIT, 28);
        t.maxDepth = (int) depth;
        for (int s = 0; s < SEC_COUNT; s++) {
            long off = t.u32(32 + 8 * s), cnt = t.u32(36 + 8 * s);
            long end = off + cnt * ELEM_SIZE[s];
            if (off % 8 != 0 || off < HEADER_SIZE || end > total) throw fail(E_SECTION, 32 + 8 * s);
            t.sec[s] = (int) off;
            t.count[s] = (int) cnt;
        }
        if (t.count[SEC_RULES] > lim.maxRules()) throw fail(E_LIMIT, 36 + 8 * SEC_RULES);
        if (t.count[SEC_TERMS] > lim.maxTerms()) throw fail(E_LIMIT, 36 + 8 * SEC_TERMS);
        if (t.count[SEC_NODES] > lim.maxNodes()) throw fail(E_LIMIT, 36 + 8 * SEC_NODES);
        if (t.count[SEC_LEAFTERMS] > lim.maxLeafTerms()) throw fail(E_LIMIT, 36 + 8 * SEC_LEAFTERMS);
        if (t.count[SEC_SETS] > 0x7fff) throw fail(E_LIMIT, 36 + 8 * SEC_SETS);
    }

    private static boolean stringOk(Table t, long off) {
        long n = t.count[SEC_STRINGS];
        if (off >= n || n - off < 2) return false;
        return t.u16(t.sec[SEC_STRINGS] + off) <= n - off - 2;
    }

    private static void rulesSets(Table t) throws Refused {
        for (int i = 0; i < t.count[SEC_RULES]; i++) {
            long r = t.at(SEC_RULES, i, 0);
            if (t.u8(r + 4) > 2) throw fail(E_RULE, r + 4);
            if ((t.u8(r + 5) & ~(RULE_LOG | RULE_COUNT)) != 0) throw fail(E_RULE, r + 5);
            if (t.u8(r + 6) > 4) throw fail(E_RULE, r + 6);
            if (t.u8(r + 7) != 0) throw fail(E_FLAGS, r + 7);
        }
        for (int i = 0; i < t.count[SEC_NAMES]; i++) {
            long n = t.at(SEC_NAMES, i, 0);
            if (t.u32(n) >= t.count[SEC_RULES]) throw fail(E_RULE, n);
            if (!stringOk(t, t.u32(n + 4))) throw fail(E_STRING, n + 4);
        }
        for (int i = 0; i < t.count[SEC_SETS]; i++) {
            long s = t.at(SEC_SETS, i, 0);
            if (!stringOk(t, t.u32(s))) throw fail(E_STRING, s);
            if (t.u8(s + 4) == 0 || t.u8(s + 4) > 3) throw fail(E_SET, s + 4);
            if (t.u8(s + 5) != 0 || t.u8(s + 6) != 0 || t.u8(s + 7) != 0) throw fail(E_FLAGS, s + 5);
        }
    }

    private static boolean fits(long hi, long lo, int bits) {
        if (bits >= 128) return true;
        if (bits >= 64) return bits == 64 ? hi == 0 : (hi >>> (bits - 64)) == 0;
        return hi == 0 && (lo >>> bits) == 0;
    }

    private static void terms(Table t) throws Refused {
        long nrules = t.count[SEC_RULES], nexts = t.count[SEC_EXTS], nivs = t.count[SEC_INTERVALS];
        for (int i = 0; i < t.count[SEC_TERMS]; i++) {
            long r = t.at(SEC_TERMS, i, 0);
            long w0 = t.u32(r), w1 = t.u32(r + 4);
            long ext = w1 & TERM_EXT_MASK, n = (w0 >>> TERM_EXTS_SHIFT) & 15;
            if ((w0 & TERM_RULE_MASK) >= nrules) throw fail(E_TERM, r);
            if ((w0 & (TERM_RESERVED & 0xffff_ffffL)) != 0 || ((w0 & TERM_PROTO_ANY) != 0 && (w1 >>> 24) != 0)) {
                throw fail(E_FLAGS, r);
            }
            if (ext > nexts || n > nexts - ext) throw fail(E_TERM, r + 4);
        }
        for (int i = 0; i < nexts; i++) {
            long e = t.at(SEC_EXTS, i, 0);
            int kind = t.u8(e), field = t.u8(e + 1), arg = t.u16(e + 2);
            long idx = t.u32(e + 4);
            if (kind == EXT_INTERVALS) {
                if (field >= FIELD_BITS_.length) throw fail(E_EXT, e + 1);
                if (idx > nivs || arg > nivs - idx) throw fail(E_EXT, e + 4);
            } else if (kind == EXT_SET) {
                if (field != 0 && field != 1) throw fail(E_EXT, e + 1);
                if ((arg & ~EXT_SET_NEGATED) >= t.count[SEC_SETS]) throw fail(E_EXT, e + 2);
                if (idx != 0) throw fail(E_FLAGS, e + 4);
            } else {
                throw fail(E_EXT, e);
            }
            for (int j = 0; kind == EXT_INTERVALS && j < arg; j++) {
                long v = t.at(SEC_INTERVALS, idx + j, 0);
                long lh = t.u64(v), ll = t.u64(v + 8), hh = t.u64(v + 16), hl = t.u64(v + 24);
                boolean inverted = Long.compareUnsigned(lh, hh) > 0 || (lh == hh && Long.compareUnsigned(ll, hl) > 0);
                if (inverted || !fits(hh, hl, FIELD_BITS_[field])) throw fail(E_INTERVAL, v);
            }
        }
    }

    private static void tree(Table t, int ti, long termLo, long termN, Limits lim) throws Refused {
        long tr = t.at(SEC_TREES, ti, 0);
        long root = t.u32(tr), nlo = t.u32(tr + 4), nn = t.u32(tr + 8), llo = t.u32(tr + 12), ln = t.u32(tr + 16);
        long nodes = t.count[SEC_NODES], leaves = t.count[SEC_LEAVES], refs = t.count[SEC_REFS];
        long lterms = t.count[SEC_LEAFTERMS];
        if (nlo > nodes || nn > nodes - nlo) throw fail(E_TREE, tr + 4);
        if (llo > leaves || ln > leaves - llo || ln == 0) throw fail(E_TREE, tr + 12);
        if (t.u32(tr + 20) != 0) throw fail(E_FLAGS, tr + 20);
        if ((root & REF_LEAF) != 0) {
            long x = root & ~(long) REF_LEAF & 0xffff_ffffL;
            if (x < llo || x - llo >= ln) throw fail(E_TREE, tr);
        } else if (root < nlo || root - nlo >= nn) {
            throw fail(E_TREE, tr);
        }
        for (long i = nlo; i < nlo + nn; i++) {
            long n = t.at(SEC_NODES, i, 0);
            int word = t.u8(n), shift = t.u8(n + 1), bits = t.u8(n + 2), level = t.u8(n + 3);
            long base = t.u32(n + 4);
            if (word >= W_COUNT) throw fail(E_NODE, n);
            if (bits == 0 || bits > MAX_CUT_BITS || shift > 64 - bits) throw fail(E_NODE, n + 1);
            if (level == 0 || level > t.maxDepth) throw fail(E_NODE, n + 3);
            long fan = 1L << bits;
            if (base > refs || fan > refs - base) throw fail(E_NODE, n + 4);
            for (long j = 0; j < fan; j++) {
                long refAt = t.at(SEC_REFS, base + j, 0);
                long ref = t.u32(refAt), x = ref & 0x7fff_ffffL;
                if ((ref & REF_LEAF) != 0) {
                    if (x < llo || x - llo >= ln) throw fail(E_REF, refAt);
                } else if (x < nlo || x - nlo >= nn || t.u8(t.at(SEC_NODES, x, 3)) <= level) {
                    throw fail(E_REF, refAt);
                }
            }
        }
        long expectBase = t.u32(t.at(SEC_LEAVES, llo, 0));
        for (long i = llo; i < llo + ln; i++) {
            long l = t.at(SEC_LEAVES, i, 0);
            long base = t.u32(l), cnt = t.u32(l + 4), prev = 0;
            if (base != expectBase) throw fail(E_LEAF, l);
            if (base > lterms || cnt > lterms - base || cnt > lim.maxLeafSize()) throw fail(E_LEAF, l + 4);
            for (long j = 0; j < cnt; j++) {
                long at = t.at(SEC_LEAFTERMS, base + j, 0);
                long term = t.u32(at);
                if (term < termLo || term - termLo >= termN || (j > 0 && term <= prev)) throw fail(E_LEAF, at);
                prev = term;
            }
            expectBase = base + cnt;
        }
    }

    private static void chains(Table t, Limits lim) throws Refused {
        long nextNode = 0, nextLeaf = 0;
        if (t.count[SEC_CHAINS] > 3) throw fail(E_CHAIN, 36 + 8 * SEC_CHAINS);
        for (int c = 0; c < t.count[SEC_CHAINS]; c++) {
            long ch = t.at(SEC_CHAINS, c, 0);
            long rlo = t.u32(ch + 4), rn = t.u32(ch + 8), tlo = t.u32(ch + 12), tn = t.u32(ch + 16);
            long trlo = t.u32(ch + 20), trn = t.u32(ch + 24);
            int hook = t.u8(ch);
            long prevRule = rlo;
            if (hook > 2 || t.chainOfHook[hook] >= 0) throw fail(E_CHAIN, ch);
            if (t.u8(ch + 1) > 2) throw fail(E_CHAIN, ch + 1);
            if (t.u16(ch + 2) != 0 || t.u32(ch + 28) != 0) throw fail(E_FLAGS, ch + 2);
            if (rlo > t.count[SEC_RULES] || rn > t.count[SEC_RULES] - rlo) throw fail(E_CHAIN, ch + 4);
            if (tlo > t.count[SEC_TERMS] || tn > t.count[SEC_TERMS] - tlo) throw fail(E_CHAIN, ch + 12);
            if (trlo > t.count[SEC_TREES] || trn > t.count[SEC_TREES] - trlo) throw fail(E_CHAIN, ch + 20);
            t.chainOfHook[hook] = c;
            for (long i = tlo; i < tlo + tn; i++) {
                long r = t.u32(t.at(SEC_TERMS, i, 0)) & TERM_RULE_MASK;
                if (r < prevRule || r - rlo >= rn) throw fail(E_TERM, t.at(SEC_TERMS, i, 0));
                prevRule = r;
            }
            for (long i = trlo; i < trlo + trn; i++) {
                long tr = t.at(SEC_TREES, i, 0);
                if (t.u32(tr + 4) < nextNode || t.u32(tr + 12) < nextLeaf) throw fail(E_TREE, tr + 4);
                tree(t, (int) i, tlo, tn, lim);
                nextNode = t.u32(tr + 4) + t.u32(tr + 8);
                nextLeaf = t.u32(tr + 12) + t.u32(tr + 16);
            }
        }
    }
}
