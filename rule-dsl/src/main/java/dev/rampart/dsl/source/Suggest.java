// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?" for misspelled names and keywords. */
public final class Suggest {
    private Suggest() {}

    /**
     * The candidate closest to {@code word} by edit distance (Damerau: a swap of two letters counts
     * once), if close enough to be a plausible typo: at most 1 edit for short words, 2 for 6+ chars,
     * 3 for 10+. Ties go to the earliest candidate, so pass candidates in a meaningful order.
     */
    public static String closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int budget = w.length() >= 10 ? 3 : w.length() >= 6 ? 2 : 1;
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c.equals(word)) continue;
            if (Math.abs(c.length() - w.length()) > budget) continue;
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d <= budget && d < bestDist) {
                best = c;
                bestDist = d;
            }
        }
        return best;
    }

    /** A ready suggestion text, or null. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? null : "did you mean '" + c + "'?";
    }

    static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
