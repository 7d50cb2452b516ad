// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;

import java.util.Optional;

import static dev.rampart.dsl.table.TableFormat.*;

/**
 * The Java twin of the C core's classify.c, step for step over the same blob, so the simulator
 * gives the kernel's answers on any workstation. Only walks tables {@link TableReader} verified.
 */
public final class TableWalker {
    private TableWalker() {}

    /** Empty when the table has no chain for the hook (the caller's default applies). */
    public static Optional<Decision> classify(Table t, Hook hook, Packet p, SetContents sets) {
        return classify(t, hook, KeyCodec.words(p), sets);
    }

    public static Optional<Decision> classify(Table t, Hook hook, long[] key, SetContents sets) {
        int c = t.chainOfHook[hook.ordinal()];
        if (c < 0) return Optional.empty();
        long chain = t.at(SEC_CHAINS, c, 0);
        long trlo = t.u32(chain + 20), trn = t.u32(chain + 24);
        int v4 = v4Flags(key);
        long best = Long.MAX_VALUE;
        for (long tr = trlo; tr < trlo + trn; tr++) {
            long ref = t.u32(t.at(SEC_TREES, tr, 0));
            while ((ref & REF_LEAF) == 0) {
                long nd = t.at(SEC_NODES, ref, 0);
                int word = t.u8(nd), shift = t.u8(nd + 1), bits = t.u8(nd + 2);
                long v = (key[word] >>> shift) & ((1L << bits) - 1);
                ref = t.u32(t.at(SEC_REFS, t.u32(nd + 4) + v, 0));
            }
            long leaf = t.at(SEC_LEAVES, ref & 0x7fff_ffffL, 0);
            long base = t.u32(leaf), n = t.u32(leaf + 4);
            for (long i = 0; i < n; i++) {
                long term = t.u32(t.at(SEC_LEAFTERMS, base + i, 0));
                if (term >= best) break; // leaves are sorted: nothing here beats another tree's find
                if (termMatches(t, term, key, v4, sets)) {
                    best = term;
                    break;
                }
            }
        }
        return Optional.of(decide(t, chain, best));
    }

    /** The same answer by scanning the chain's terms in order; the model the trees must agree with. */
    public static Optional<Decision> classifyLinear(Table t, Hook hook, long[] key, SetContents sets) {
        int c = t.chainOfHook[hook.ordinal()];
        if (c < 0) return Optional.empty();
        long chain = t.at(SEC_CHAINS, c, 0);
        long lo = t.u32(chain + 12), n = t.u32(chain + 16);
        int v4 = v4Flags(key);
        long best = Long.MAX_VALUE;
        for (long i = lo; i < lo + n; i++) {
            if (termMatches(t, i, key, v4, sets)) {
                best = i;
                break;
            }
        }
        return Optional.of(decide(t, chain, best));
    }

    private static boolean isV4(long hi, long lo) { return hi == 0 && (lo >>> 32) == 0xffffL; }

    private static int v4Flags(long[] k) {
        return (isV4(k[W_SRC_HI], k[W_SRC_LO]) ? TERM_SRC_V4 : 0) | (isV4(k[W_DST_HI], k[W_DST_LO]) ? TERM_DST_V4 : 0);
    }

    private static boolean outside(long v, long lo, long hi) {
        return Long.compareUnsigned(v, lo) < 0 || Long.compareUnsigned(v, hi) > 0;
    }

    static boolean termMatches(Table t, long ti, long[] k, int v4, SetContents sets) {
        long r = t.at(SEC_TERMS, ti, 0);
        long w0 = t.u32(r), w1 = t.u32(r + 4);
        if ((w0 & TERM_PROTO_ANY) == 0 && k[W_PROTO] != (w1 >>> 24)) return false;
        if (outside(k[W_DPORT], t.u16(r + 28), t.u16(r + 30))) return false;
        if (outside(k[W_SPORT], t.u16(r + 24), t.u16(r + 26))) return false;
        if (((w0 >>> TERM_V4_SHIFT) & 3 & ~v4) != 0) return false;
        if (outside(k[W_SRC_LO] & 0xffff_ffffL, t.u32(r + 8), t.u32(r + 12))) return false;
        if (outside(k[W_DST_LO] & 0xffff_ffffL, t.u32(r + 16), t.u32(r + 20))) return false;
        int n = (int) ((w0 >>> TERM_EXTS_SHIFT) & 15);
        long e = t.at(SEC_EXTS, w1 & TERM_EXT_MASK, 0);
        for (int i = 0; i < n; i++, e += 8) if (!extMatches(t, e, k, sets)) return false;
        return true;
    }

    private static boolean extMatches(Table t, long e, long[] k, SetContents sets) {
        int f = t.u8(e + 1);
        long hi = FIELD_HI[f] >= 0 ? k[FIELD_HI[f]] : 0, lo = k[FIELD_LO[f]];
        int arg = t.u16(e + 2);
        if (t.u8(e) == EXT_INTERVALS) {
            long iv = t.at(SEC_INTERVALS, t.u32(e + 4), 0);
            for (int i = 0; i < arg; i++, iv += 32) {
                long lh = t.u64(iv), ll = t.u64(iv + 8), hh = t.u64(iv + 16), hl = t.u64(iv + 24);
                boolean geLo = Long.compareUnsigned(hi, lh) > 0 || (hi == lh && Long.compareUnsigned(lo, ll) >= 0);
                boolean leHi = Long.compareUnsigned(hi, hh) < 0 || (hi == hh && Long.compareUnsigned(lo, hl) <= 0);
                if (geLo && leHi) return true;
            }
            return false;
        }
        String name = setName(t, arg & ~EXT_SET_NEGATED);
        boolean member = sets != null && sets.contains(name, new U128(hi, lo));
        return member != ((arg & EXT_SET_NEGATED) != 0);
    }

    static String setName(Table t, int index) { return t.string(t.u32(t.at(SEC_SETS, index, 0))); }

    private static Decision decide(Table t, long chain, long best) {
        if (best == Long.MAX_VALUE) {
            return new Decision(Verdict.values()[t.u8(chain + 1)], -1, 0, false, false, RejectKind.AUTO);
        }
        long ri = t.u32(t.at(SEC_TERMS, best, 0)) & TERM_RULE_MASK;
        long r = t.at(SEC_RULES, ri, 0);
        int flags = t.u8(r + 5);
        return new Decision(Verdict.values()[t.u8(r + 4)], (int) ri, t.u32(r), (flags & RULE_LOG) != 0,
                (flags & RULE_COUNT) != 0, RejectKind.values()[t.u8(r + 6)]);
    }
}
