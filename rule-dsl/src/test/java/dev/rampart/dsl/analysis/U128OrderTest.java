// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class U128OrderTest {
    /** A stable sort of positions through the generic library sort, as the reference. */
    private static int[] reference(long[] h, long[] l) {
        List<Integer> pos = new ArrayList<>();
        for (int i = 0; i < h.length; i++) pos.add(i);
        pos.sort(Comparator.<Integer>comparingLong(i -> h[i] ^ Long.MIN_VALUE).thenComparingLong(i -> l[i] ^ Long.MIN_VALUE));
        return pos.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesAStableSortOnEveryShapeOfInput() {
        Random rnd = new Random(3);
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(300);
            long[] h = new long[n], l = new long[n];
            int shape = round % 4;
            for (int i = 0; i < n; i++) {
                switch (shape) {
                    // IPv4-mapped-like: one high word, small range with many ties (the packed path)
                    case 0 -> l[i] = 0x0000_ffff_0000_0000L | rnd.nextInt(50);
                    // one high word but low words spanning the sign bit (too wide to pack)
                    case 1 -> l[i] = rnd.nextBoolean() ? rnd.nextLong() : -1L - rnd.nextInt(3);
                    // differing high words, with ties on both words
                    case 2 -> {
                        h[i] = rnd.nextInt(3) - 1;
                        l[i] = rnd.nextInt(4);
                    }
                    default -> {
                        h[i] = rnd.nextLong();
                        l[i] = rnd.nextLong();
                    }
                }
            }
            assertArrayEquals(reference(h, l), U128Order.order(h, l), "round " + round);
        }
    }
}
