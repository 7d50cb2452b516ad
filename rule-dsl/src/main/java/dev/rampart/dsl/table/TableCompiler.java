// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.ir.DynSet;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * IR to table blob (docs/table-format.md). Each rule's terms become fixed-size records whose
 * common fields (IPv4 address ranges, ports, protocol) are inline and the rest in a short list of
 * extra conditions; each chain's terms are partitioned by which address is narrow and each part
 * gets a decision tree ({@link TreeBuilder}).
 */
public final class TableCompiler {
    private TableCompiler() {}

    /**
     * @param leafSize    a node with at most this many terms becomes a leaf
     * @param spaceFactor per node, the copies of terms in its children stay within this multiple
     * @param copyBudget  per tree, extra copies of terms stay within this multiple of its terms
     * @param maxDepth    nodes on a path, at most {@link TableFormat#MAX_DEPTH}
     * @param partition   one tree per address-narrowness class instead of one tree per chain
     * @param trees       false: every chain is one leaf with all its terms (the linear design)
     */
    public record Options(int leafSize, int spaceFactor, int copyBudget, int maxDepth, boolean partition,
                          boolean trees) {
        /** Chosen by measurement on ClassBench acl1/fw1/ipc1 10k: see docs/classifier.md. */
        public static final Options DEFAULT = new Options(8, 4, 8, 24, true, true);
        public static final Options LINEAR = new Options(8, 4, 8, 24, false, false);

        public Options {
            if (leafSize < 1 || spaceFactor < 1 || copyBudget < 0 || maxDepth < 1 || maxDepth > TableFormat.MAX_DEPTH) {
                throw new IllegalArgumentException("bad classifier options");
            }
        }
    }

    public static byte[] compile(IrPolicy policy) { return compile(policy, Options.DEFAULT); }

    public static byte[] compile(IrPolicy policy, Options opt) {
        return new Build(policy, opt).run();
    }

    private static final class Build {
        final IrPolicy policy;
        final Options opt;
        final LeWriter strings = new LeWriter();
        final Map<String, Integer> stringOff = new HashMap<>();
        final LeWriter rules = new LeWriter(), names = new LeWriter(), chains = new LeWriter(), sets = new LeWriter();
        final LeWriter terms = new LeWriter(), exts = new LeWriter(), intervals = new LeWriter();
        int nRules, nNames, nChains, nSets, nTerms, nExts, nIntervals;
        final Map<IntervalSet, Integer> intervalIndex = new HashMap<>();
        final Map<String, Integer> setIndex = new HashMap<>();
        final TreeBuilder.Out tree = new TreeBuilder.Out();
        int maxLevel;

        Build(IrPolicy policy, Options opt) {
            this.policy = policy;
            this.opt = opt;
        }

        int string(String s) {
            return stringOff.computeIfAbsent(s, k -> {
                byte[] b = k.getBytes(StandardCharsets.UTF_8);
                if (b.length > 0xffff) throw new IllegalArgumentException("string longer than 65535 bytes");
                int off = strings.size();
                strings.u16(b.length).bytes(b);
                return off;
            });
        }

        byte[] run() {
            for (DynSet s : new TreeMap<>(policy.dynamicSets()).values()) {
                setIndex.put(s.name(), nSets++);
                int fam = (s.family().intersects(Field.V4) ? 1 : 0) | (s.family().intersects(Field.V6) ? 2 : 0);
                sets.u32(string(s.name())).u8(fam == 0 ? 3 : fam).u8(0).u8(0).u8(0)
                        .u64(s.capacity()).u64(s.timeoutSeconds());
            }
            for (IrChain c : policy.chains()) chain(c);
            return assemble();
        }

        void chain(IrChain c) {
            int ruleLo = nRules, termLo = nTerms, treeLo = tree.trees.size() / 5;
            List<long[]> ranges = new ArrayList<>(); // per term: lo/hi of each tree dimension
            for (IrRule r : c.rules()) {
                int ri = nRules++;
                int flags = (r.log() ? TableFormat.RULE_LOG : 0) | (r.count() ? TableFormat.RULE_COUNT : 0);
                rules.u32(r.numericId()).u8(r.verdict().ordinal()).u8(flags).u8(r.reject().ordinal()).u8(0);
                if (r.named()) {
                    names.u32(ri).u32(string(r.id()));
                    nNames++;
                }
                for (Term t : r.terms()) {
                    if (t.isEmpty()) continue;
                    ranges.add(term(ri, t));
                }
            }
            int n = nTerms - termLo;
            long[][] lo = new long[TreeBuilder.DIMS][n], hi = new long[TreeBuilder.DIMS][n];
            for (int i = 0; i < n; i++) {
                long[] rg = ranges.get(i);
                for (int d = 0; d < TreeBuilder.DIMS; d++) {
                    lo[d][i] = rg[2 * d];
                    hi[d][i] = rg[2 * d + 1];
                }
            }
            TreeBuilder tb = new TreeBuilder(lo, hi, termLo, opt, tree);
            for (int[] part : partition(lo, hi, n)) tb.build(part);
            maxLevel = Math.max(maxLevel, tb.maxLevel);
            int nTrees = tree.trees.size() / 5 - treeLo;
            chains.u8(c.hook().ordinal()).u8(c.policy().ordinal()).u16(0)
                    .u32(ruleLo).u32(nRules - ruleLo).u32(termLo).u32(n).u32(treeLo).u32(nTrees).u32(0);
            nChains++;
        }

        /**
         * CutSplit's observation: cutting on an address replicates every term wide in it, so terms
         * narrow in the source, narrow only in the destination, and narrow in neither get separate
         * trees. Every chain gets at least one tree so that the walker needs no special case.
         */
        List<int[]> partition(long[][] lo, long[][] hi, int n) {
            List<int[]> parts = new ArrayList<>();
            if (!opt.partition() || !opt.trees()) {
                int[] all = new int[n];
                for (int i = 0; i < n; i++) all[i] = i;
                parts.add(all);
                return parts;
            }
            IntList[] cls = {new IntList(), new IntList(), new IntList()};
            for (int i = 0; i < n; i++) {
                boolean srcSmall = narrow(lo, hi, i, TableFormat.W_SRC_HI);
                boolean dstSmall = narrow(lo, hi, i, TableFormat.W_DST_HI);
                cls[srcSmall ? 0 : dstSmall ? 1 : 2].add(i);
            }
            for (IntList l : cls) if (l.size() > 0) parts.add(l.toArray());
            if (parts.isEmpty()) parts.add(new int[0]);
            return parts;
        }

        /** An address is narrow when it lies in one /64 and, for IPv4, spans at most a /16. */
        static boolean narrow(long[][] lo, long[][] hi, int i, int hiWord) {
            if (lo[hiWord][i] != hi[hiWord][i]) return false;
            long span = hi[hiWord + 1][i] - lo[hiWord + 1][i];
            boolean v4 = lo[hiWord][i] == 0 && (lo[hiWord + 1][i] >>> 32) == 0xffffL;
            return Long.compareUnsigned(span, v4 ? 0xffffL : -1L) <= 0 && (v4 || span != -1L);
        }

        /** Writes one term record; returns its ranges on the tree dimensions. */
        long[] term(int ruleIndex, Term t) {
            List<long[]> ext = new ArrayList<>(); // {kind, field, arg, index}
            int flags = 0;
            long[] src = address(t.get(Field.SRC), Field.SRC, ext), dst = address(t.get(Field.DST), Field.DST, ext);
            if (src[2] != 0) flags |= TableFormat.TERM_SRC_V4;
            if (dst[2] != 0) flags |= TableFormat.TERM_DST_V4;
            long[] proto = protocol(t.get(Field.PROTO), ext);
            long[] sport = narrowField(t, Field.SPORT, ext), dport = narrowField(t, Field.DPORT, ext);
            for (Field f : new Field[] {Field.ICMP_TYPE, Field.ICMP_CODE, Field.TCP_FLAGS, Field.STATE,
                                        Field.IIF, Field.OIF}) {
                if (!t.get(f).equals(f.universe())) ext.add(new long[] {TableFormat.EXT_INTERVALS, f.ordinal(), 0, 0});
            }
            for (long[] e : ext) {
                if (e[0] == TableFormat.EXT_INTERVALS) {
                    IntervalSet s = t.get(Field.values()[(int) e[1]]);
                    e[2] = s.intervals().size();
                    e[3] = intervals(s);
                }
            }
            addSet(t.srcSet(), Field.SRC, ext);
            addSet(t.dstSet(), Field.DST, ext);
            int extIndex = nExts;
            for (long[] e : ext) {
                exts.u8((int) e[0]).u8((int) e[1]).u16((int) e[2]).u32(e[3]);
                nExts++;
            }
            if (ext.size() > TableFormat.MAX_TERM_EXTS) throw new IllegalStateException("term with " + ext.size() + " extra conditions");
            if (ruleIndex > TableFormat.TERM_RULE_MASK || extIndex > TableFormat.TERM_EXT_MASK) {
                throw new IllegalArgumentException("policy too large for the table format: more than 16M rules or conditions");
            }
            boolean protoAny = proto[0] != proto[1];
            if (protoAny && !t.get(Field.PROTO).equals(Field.PROTO.universe())) {
                // Several protocols or a range: the exact set is an ext condition.
                boolean listed = false;
                for (long[] e : ext) listed |= e[0] == TableFormat.EXT_INTERVALS && e[1] == Field.PROTO.ordinal();
                if (!listed) throw new IllegalStateException("protocol range without its ext condition");
            }
            long w0 = ruleIndex | ((long) ext.size() << TableFormat.TERM_EXTS_SHIFT) | ((long) flags << TableFormat.TERM_V4_SHIFT)
                    | (protoAny ? TableFormat.TERM_PROTO_ANY : 0);
            long w1 = extIndex | (protoAny ? 0 : proto[0] << 24);
            terms.u32(w0).u32(w1).u32(src[0]).u32(src[1]).u32(dst[0]).u32(dst[1])
                    .u16((int) sport[0]).u16((int) sport[1]).u16((int) dport[0]).u16((int) dport[1]);
            nTerms++;
            long[] r = new long[2 * TreeBuilder.DIMS];
            hull128(t.get(Field.SRC), r, 0);
            hull128(t.get(Field.DST), r, 4);
            r[8] = proto[0];
            r[9] = proto[1];
            r[10] = sport[0];
            r[11] = sport[1];
            r[12] = dport[0];
            r[13] = dport[1];
            return r;
        }

        void addSet(SetMatch m, Field f, List<long[]> ext) {
            if (m == null) return;
            Integer idx = setIndex.get(m.set());
            if (idx == null) throw new IllegalArgumentException("term refers to undeclared set @" + m.set());
            ext.add(new long[] {TableFormat.EXT_SET, f.ordinal(), idx | (m.negated() ? TableFormat.EXT_SET_NEGATED : 0), 0});
        }

        /** Projections of a 128-bit set's hull onto the high and low key words. */
        static void hull128(IntervalSet s, long[] r, int at) {
            List<Interval> iv = s.intervals();
            U128 l = iv.get(0).lo(), h = iv.get(iv.size() - 1).hi();
            r[at] = l.hi();
            r[at + 1] = h.hi();
            boolean oneHigh = l.hi() == h.hi();
            r[at + 2] = oneHigh ? l.lo() : 0;
            r[at + 3] = oneHigh ? h.lo() : -1L;
        }

        /** Inline IPv4 bounds {lo, hi, v4flag}; anything the inline form cannot say goes to ext. */
        long[] address(IntervalSet s, Field f, List<long[]> ext) {
            if (s.equals(f.universe())) return new long[] {0, 0xffff_ffffL, 0};
            if (s.subsetOf(Field.V4)) {
                List<Interval> iv = s.intervals();
                if (iv.size() > 1) ext.add(new long[] {TableFormat.EXT_INTERVALS, f.ordinal(), 0, 0});
                return new long[] {iv.get(0).lo().lo() & 0xffff_ffffL, iv.get(iv.size() - 1).hi().lo() & 0xffff_ffffL, 1};
            }
            ext.add(new long[] {TableFormat.EXT_INTERVALS, f.ordinal(), 0, 0});
            return new long[] {0, 0xffff_ffffL, 0};
        }

        /** The record holds one protocol or none; anything else is an ext condition. */
        static long[] protocol(IntervalSet s, List<long[]> ext) {
            List<Interval> iv = s.intervals();
            boolean single = iv.size() == 1 && iv.get(0).lo().equals(iv.get(0).hi());
            if (!single && !s.equals(Field.PROTO.universe())) {
                ext.add(new long[] {TableFormat.EXT_INTERVALS, Field.PROTO.ordinal(), 0, 0});
            }
            return new long[] {iv.get(0).lo().lo(), iv.get(iv.size() - 1).hi().lo()};
        }

        static long[] narrowField(Term t, Field f, List<long[]> ext) {
            IntervalSet s = t.get(f);
            List<Interval> iv = s.intervals();
            if (iv.size() > 1) ext.add(new long[] {TableFormat.EXT_INTERVALS, f.ordinal(), 0, 0});
            return new long[] {iv.get(0).lo().lo(), iv.get(iv.size() - 1).hi().lo()};
        }

        int intervals(IntervalSet s) {
            if (s.intervals().size() > TableFormat.MAX_EXT_INTERVALS) {
                throw new IllegalArgumentException("a field lists more than 65535 intervals");
            }
            return intervalIndex.computeIfAbsent(s, k -> {
                int at = nIntervals;
                for (Interval i : k.intervals()) {
                    intervals.u64(i.lo().hi()).u64(i.lo().lo()).u64(i.hi().hi()).u64(i.hi().lo());
                    nIntervals++;
                }
                return at;
            });
        }

        byte[] assemble() {
            LeWriter nodes = new LeWriter(), refs = new LeWriter(), leaves = new LeWriter(), leafTerms = new LeWriter();
            LeWriter trees = new LeWriter();
            for (int i = 0; i < tree.nodeInfo.size(); i++) {
                int info = tree.nodeInfo.get(i);
                nodes.u8(info & 0xff).u8((info >>> 8) & 0xff).u8((info >>> 16) & 0xff).u8(info >>> 24)
                        .u32(tree.nodeBase.get(i));
            }
            for (int i = 0; i < tree.refs.size(); i++) refs.u32(tree.refs.get(i) & 0xffff_ffffL);
            for (int i = 0; i < tree.leafBase.size(); i++) leaves.u32(tree.leafBase.get(i)).u32(tree.leafCount.get(i));
            for (int i = 0; i < tree.leafTerms.size(); i++) leafTerms.u32(tree.leafTerms.get(i));
            int nTrees = tree.trees.size() / 5;
            for (int i = 0; i < nTrees; i++) {
                for (int j = 0; j < 5; j++) trees.u32(tree.trees.get(5 * i + j) & 0xffff_ffffL);
                trees.u32(0);
            }
            LeWriter[] secs = {strings, rules, names, chains, sets, terms, exts, intervals, trees, nodes, refs,
                leaves, leafTerms};
            int[] counts = {strings.size(), nRules, nNames, nChains, nSets, nTerms, nExts, nIntervals, nTrees,
                tree.nodeInfo.size(), tree.refs.size(), tree.leafBase.size(), tree.leafTerms.size()};
            LeWriter w = new LeWriter();
            w.bytes(TableFormat.MAGIC).u16(TableFormat.VERSION_MAJOR).u16(TableFormat.VERSION_MINOR)
                    .u32(0).u32(0).u64(PolicyHash.of(policy)).u32(0).u32(Math.max(1, maxLevel));
            int dir = w.size();
            for (int s = 0; s < TableFormat.SEC_COUNT; s++) w.u32(0).u32(0);
            for (int s = 0; s < TableFormat.SEC_COUNT; s++) {
                w.align(8);
                w.putU32(dir + 8 * s, w.size());
                w.putU32(dir + 8 * s + 4, counts[s]);
                w.bytes(secs[s].toArray());
            }
            w.align(8);
            w.putU32(8, w.size());
            byte[] blob = w.toArray();
            CRC32C crc = new CRC32C();
            crc.update(blob, 16, blob.length - 16);
            long c = crc.getValue();
            for (int i = 0; i < 4; i++) blob[12 + i] = (byte) (c >>> (8 * i));
            return blob;
        }
    }
}
