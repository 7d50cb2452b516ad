// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static dev.rampart.dsl.table.TableFormat.*;

/** A verified table as text: header, section sizes, trees, chains and their rules with terms. */
public final class TableInspector {
    private TableInspector() {}

    public static String describe(Table t) { return describe(t, Integer.MAX_VALUE); }

    /** @param maxRules rules listed per chain before eliding the rest */
    public static String describe(Table t, int maxRules) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "table format %d.%d, %d bytes, checksum %08x, generation %016x, max depth %d%n",
                VERSION_MAJOR, t.versionMinor(), t.length(), t.checksum(), t.generation(), t.maxDepth()));
        int rules = Math.max(1, t.count(SEC_RULES));
        sb.append(String.format(Locale.ROOT, "%d rules, %d terms, %.1f bytes/rule%n", t.count(SEC_RULES),
                t.count(SEC_TERMS), (double) t.length() / rules));
        sb.append("sections:\n");
        for (int s = 0; s < SEC_COUNT; s++) {
            sb.append(String.format(Locale.ROOT, "  %-10s offset %8d  count %8d  bytes %9d%n", SECTION_NAMES[s],
                    t.sectionOffset(s), t.count(s), (long) t.count(s) * ELEM_SIZE[s]));
        }
        Map<Long, String> names = new HashMap<>();
        for (int i = 0; i < t.count(SEC_NAMES); i++) {
            long n = t.at(SEC_NAMES, i, 0);
            names.put(t.u32(n), t.string(t.u32(n + 4)));
        }
        for (int i = 0; i < t.count(SEC_SETS); i++) {
            long s = t.at(SEC_SETS, i, 0);
            int fam = t.u8(s + 4);
            sb.append(String.format(Locale.ROOT, "set @%s %s capacity %d timeout %ds%n", t.string(t.u32(s)),
                    fam == 1 ? "ipv4" : fam == 2 ? "ipv6" : "ipv4+ipv6", t.u64(s + 8), t.u64(s + 16)));
        }
        for (int c = 0; c < t.count(SEC_CHAINS); c++) {
            long ch = t.at(SEC_CHAINS, c, 0);
            long rlo = t.u32(ch + 4), rn = t.u32(ch + 8), tlo = t.u32(ch + 12), tn = t.u32(ch + 16);
            long trlo = t.u32(ch + 20), trn = t.u32(ch + 24);
            sb.append(String.format(Locale.ROOT, "chain %s policy %s: %d rules, %d terms, %d trees%n",
                    Hook.values()[t.u8(ch)].keyword(), Verdict.values()[t.u8(ch + 1)].keyword(), rn, tn, trn));
            for (long tr = trlo; tr < trlo + trn; tr++) {
                long x = t.at(SEC_TREES, tr, 0);
                long llo = t.u32(x + 12), ln = t.u32(x + 16), entries = 0, max = 0;
                for (long l = llo; l < llo + ln; l++) {
                    long cnt = t.u32(t.at(SEC_LEAVES, l, 4));
                    entries += cnt;
                    max = Math.max(max, cnt);
                }
                sb.append(String.format(Locale.ROOT, "  tree %d: %d nodes, %d leaves, %d leaf entries, largest leaf %d%n",
                        tr - trlo, t.u32(x + 8), ln, entries, max));
            }
            long term = tlo;
            for (long r = rlo; r < rlo + rn; r++) {
                if (r - rlo >= maxRules) {
                    sb.append("  ... ").append(rn - maxRules).append(" more rules\n");
                    break;
                }
                long rr = t.at(SEC_RULES, r, 0);
                int flags = t.u8(rr + 5);
                Verdict v = Verdict.values()[t.u8(rr + 4)];
                sb.append(String.format(Locale.ROOT, "  rule %d id %08x%s %s%s%s%s%n", r, t.u32(rr),
                        names.containsKey(r) ? " \"" + names.get(r) + "\"" : "", v.keyword(),
                        v == Verdict.REJECT ? " " + RejectKind.values()[t.u8(rr + 6)].keyword : "",
                        (flags & RULE_LOG) != 0 ? " log" : "", (flags & RULE_COUNT) != 0 ? " count" : ""));
                for (; term < tlo + tn && (t.u32(t.at(SEC_TERMS, term, 0)) & TERM_RULE_MASK) == r; term++) {
                    sb.append("    term ").append(term).append(':').append(termText(t, term)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String termText(Table t, long ti) {
        long r = t.at(SEC_TERMS, ti, 0);
        StringBuilder sb = new StringBuilder();
        long w0 = t.u32(r), w1 = t.u32(r + 4);
        int flags = (int) ((w0 >>> TERM_V4_SHIFT) & 3);
        if ((flags & TERM_SRC_V4) != 0) sb.append(" src ").append(v4Range(t.u32(r + 8), t.u32(r + 12)));
        if ((flags & TERM_DST_V4) != 0) sb.append(" dst ").append(v4Range(t.u32(r + 16), t.u32(r + 20)));
        if ((w0 & TERM_PROTO_ANY) == 0) sb.append(" proto ").append(w1 >>> 24);
        range(sb, "sport", t.u16(r + 24), t.u16(r + 26), 65535);
        range(sb, "dport", t.u16(r + 28), t.u16(r + 30), 65535);
        long e = t.at(SEC_EXTS, w1 & TERM_EXT_MASK, 0);
        for (int i = 0; i < ((w0 >>> TERM_EXTS_SHIFT) & 15); i++, e += 8) {
            Field f = Field.values()[t.u8(e + 1)];
            int arg = t.u16(e + 2);
            if (t.u8(e) == EXT_SET) {
                sb.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append((arg & EXT_SET_NEGATED) != 0 ? " not in @" : " in @")
                        .append(TableWalker.setName(t, arg & ~EXT_SET_NEGATED));
                continue;
            }
            sb.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append(" {");
            long iv = t.at(SEC_INTERVALS, t.u32(e + 4), 0);
            for (int j = 0; j < arg; j++, iv += 32) {
                U128 lo = new U128(t.u64(iv), t.u64(iv + 8)), hi = new U128(t.u64(iv + 16), t.u64(iv + 24));
                if (j > 0) sb.append(", ");
                boolean addr = f == Field.SRC || f == Field.DST;
                sb.append(addr ? lo.toAddressString() : lo.toString());
                if (!lo.equals(hi)) sb.append('-').append(addr ? hi.toAddressString() : hi.toString());
            }
            sb.append('}');
        }
        return sb.length() == 0 ? " any" : sb.toString();
    }

    private static void range(StringBuilder sb, String name, long lo, long hi, long max) {
        if (lo == 0 && hi == max) return;
        sb.append(' ').append(name).append(' ').append(lo);
        if (lo != hi) sb.append('-').append(hi);
    }

    private static String v4Range(long lo, long hi) {
        return v4(lo) + (lo == hi ? "" : "-" + v4(hi));
    }

    private static String v4(long a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
