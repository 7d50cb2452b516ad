// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds one decision tree over a subset of a chain's terms by bit-aligned cuts (the HiCuts /
 * CutSplit family): each node takes the next 1..8 bits of one key word and has 2^k children;
 * leaves list term indexes in priority order and the walker checks every field there. A term goes
 * into each child its range touches, so the tree is only a filter and can never lose a match.
 *
 * <p>The cut of a node is chosen by measurement on its terms: for every cuttable word and width,
 * the largest child and the total copies; the smallest largest child wins among cuts whose copies
 * stay within {@code spaceFactor} times the node's terms. Copies compound down a path, so the tree as
 * a whole also has a budget ({@code copyBudget} times its terms): once spent, the remaining nodes
 * become leaves. Without it the wildcard-heavy part of firewall sets took 15 copies per term.
 */
final class TreeBuilder {
    /** Words a node may cut on: addresses (both halves), protocol, ports. */
    static final int DIMS = 7;
    private static final int[] INITIAL_LEN = {0, 0, 0, 0, 56, 48, 48};

    private final long[][] lo, hi;          // [dim][local term] unsigned ranges
    private final int termBase;              // global term index of local term 0
    private final TableCompiler.Options opt;
    private final Out out;
    private final Map<Key, Integer> leafOf = new HashMap<>();
    private int emptyLeaf;
    /** Term copies the tree may still make: bounds replication over the whole tree, not per node. */
    private long copiesLeft;
    int maxLevel;

    /** The tree sections shared by all trees of the table. */
    static final class Out {
        final IntList nodeInfo = new IntList(), nodeBase = new IntList(), refs = new IntList();
        final IntList leafBase = new IntList(), leafCount = new IntList(), leafTerms = new IntList();
        final IntList trees = new IntList(); // 5 ints per tree: root, nodeLo, nodeCount, leafLo, leafCount
    }

    private record Key(int[] items) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(k.items, items); }
        @Override public int hashCode() { return Arrays.hashCode(items); }
    }

    TreeBuilder(long[][] lo, long[][] hi, int termBase, TableCompiler.Options opt, Out out) {
        this.lo = lo;
        this.hi = hi;
        this.termBase = termBase;
        this.opt = opt;
        this.out = out;
    }

    /** Builds a tree over {@code items} (local term indexes, ascending) and appends its record. */
    void build(int[] items) {
        int nodeLo = out.nodeInfo.size(), leafLo = out.leafBase.size();
        leafOf.clear();
        emptyLeaf = leaf(new int[0]);
        long[] pfx = new long[DIMS];
        int[] len = INITIAL_LEN.clone();
        copiesLeft = (long) opt.copyBudget() * items.length + 64;
        int root = opt.trees() ? node(items, pfx, len, 1) : leaf(items);
        out.trees.add(root);
        out.trees.add(nodeLo);
        out.trees.add(out.nodeInfo.size() - nodeLo);
        out.trees.add(leafLo);
        out.trees.add(out.leafBase.size() - leafLo);
    }

    private int leaf(int[] items) {
        Key k = new Key(items);
        Integer known = leafOf.get(k);
        if (known != null) return known;
        int idx = out.leafBase.size();
        out.leafBase.add(out.leafTerms.size());
        out.leafCount.add(items.length);
        for (int i : items) out.leafTerms.add(termBase + i);
        int ref = idx | TableFormat.REF_LEAF;
        leafOf.put(k, ref);
        return ref;
    }

    private static long blockEnd(long pfx, int len) { return len == 0 ? -1L : pfx | (-1L >>> len); }

    private int node(int[] items, long[] pfx, int[] len, int level) {
        int n = items.length;
        if (n <= opt.leafSize() || level > opt.maxDepth() || copiesLeft <= 0) return leaf(items);
        long budget = (long) opt.spaceFactor() * n;
        int bestD = -1, bestC = 0, bestK = 0, bestMax = n;
        long bestSum = Long.MAX_VALUE;
        long[] clo = new long[n], chi = new long[n];
        int[] diff = new int[(1 << TableFormat.MAX_CUT_BITS) + 1];
        for (int d = 0; d < DIMS; d++) {
            long blo = pfx[d], bhi = blockEnd(pfx[d], len[d]);
            long minLo = -1L, maxHi = 0;
            for (int j = 0; j < n; j++) {
                int t = items[j];
                long a = Long.compareUnsigned(lo[d][t], blo) > 0 ? lo[d][t] : blo;
                long b = Long.compareUnsigned(hi[d][t], bhi) < 0 ? hi[d][t] : bhi;
                clo[j] = a;
                chi[j] = b;
                if (Long.compareUnsigned(a, minLo) < 0) minLo = a;
                if (Long.compareUnsigned(b, maxHi) > 0) maxHi = b;
            }
            if (minLo == maxHi) continue;
            // Bits all terms share need no node: a key differing there matches none of them.
            int c = Long.numberOfLeadingZeros(minLo ^ maxHi);
            int maxK = Math.min(TableFormat.MAX_CUT_BITS, 64 - c);
            for (int k = 1; k <= maxK; k++) {
                int shift = 64 - c - k, fan = 1 << k, mask = fan - 1;
                Arrays.fill(diff, 0, fan + 1, 0);
                long sum = 0;
                for (int j = 0; j < n; j++) {
                    int a = (int) ((clo[j] >>> shift) & mask), b = (int) ((chi[j] >>> shift) & mask);
                    diff[a]++;
                    diff[b + 1]--;
                    sum += b - a + 1;
                }
                if (sum + fan > budget && k > 1) break; // finer cuts only copy more
                int run = 0, max = 0;
                for (int i = 0; i < fan; i++) {
                    run += diff[i];
                    if (run > max) max = run;
                }
                if (sum + fan > budget) break;
                if (max < bestMax || (max == bestMax && sum < bestSum)) {
                    bestD = d;
                    bestC = c;
                    bestK = k;
                    bestMax = max;
                    bestSum = sum;
                }
            }
        }
        if (bestD < 0 || bestMax >= n) return leaf(items);
        copiesLeft -= bestSum - n;
        return cut(items, pfx, len, level, bestD, bestC, bestK);
    }

    private int cut(int[] items, long[] pfx, int[] len, int level, int d, int c, int k) {
        int n = items.length, fan = 1 << k, shift = 64 - c - k, mask = fan - 1;
        long blo = pfx[d], bhi = blockEnd(pfx[d], len[d]);
        int[][] child = new int[fan][];
        int[] cnt = new int[fan], a = new int[n], b = new int[n];
        long commonPrefix = 0;
        for (int j = 0; j < n; j++) {
            int t = items[j];
            long x = Long.compareUnsigned(lo[d][t], blo) > 0 ? lo[d][t] : blo;
            long y = Long.compareUnsigned(hi[d][t], bhi) < 0 ? hi[d][t] : bhi;
            if (j == 0) commonPrefix = c == 0 ? 0 : x & ~(-1L >>> c);
            a[j] = (int) ((x >>> shift) & mask);
            b[j] = (int) ((y >>> shift) & mask);
            for (int i = a[j]; i <= b[j]; i++) cnt[i]++;
        }
        for (int i = 0; i < fan; i++) child[i] = new int[cnt[i]];
        Arrays.fill(cnt, 0);
        for (int j = 0; j < n; j++) for (int i = a[j]; i <= b[j]; i++) child[i][cnt[i]++] = items[j];

        int self = out.nodeInfo.size();
        out.nodeInfo.add(d | (shift << 8) | (k << 16) | (level << 24));
        int base = out.refs.size();
        out.nodeBase.add(base);
        for (int i = 0; i < fan; i++) out.refs.add(0);
        maxLevel = Math.max(maxLevel, level);
        long[] cp = pfx.clone();
        int[] cl = len.clone();
        cl[d] = c + k;
        for (int i = 0; i < fan; i++) {
            int ref;
            if (child[i].length == 0) {
                ref = emptyLeaf;
            } else {
                cp[d] = commonPrefix | ((long) i << shift);
                ref = node(child[i], cp, cl, level + 1);
            }
            out.refs.set(base + i, ref);
        }
        return self;
    }
}
