package io.skbtrail.server.journeys;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns two sequences of probe points by edit distance (Levenshtein: a point only on one side costs 1, a
 * point replaced by another costs 1, an equal point 0), not index by index: a path with one extra point early
 * on still lines up with the other after it. Among equally cheap alignments the one that pairs equal points
 * first, then replaced ones side by side, is taken.
 */
final class SequenceAlignment {
    /** At most this many cells (left length × right length) are aligned. */
    static final long MAX_CELLS = 4_000_000L;

    enum Op { SAME, CHANGED, LEFT_ONLY, RIGHT_ONLY }

    /** One row: indices into the two sequences, -1 where a side has nothing. */
    record Row(Op op, int left, int right) {}

    private SequenceAlignment() {}

    static List<Row> align(int[] a, int[] b) {
        int n = a.length;
        int m = b.length;
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            throw new IllegalArgumentException("paths too long to align: " + n + " and " + m + " probe points");
        }
        // d[i][k]: the cost of aligning what is left from a[i] and b[k], so the walk goes forwards and pairs a
        // difference with the first point it can (the divergence shows right where the paths part).
        int[][] d = new int[n + 1][m + 1];
        for (int i = n; i >= 0; i--) {
            d[i][m] = n - i;
        }
        for (int k = m; k >= 0; k--) {
            d[n][k] = m - k;
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int k = m - 1; k >= 0; k--) {
                int diag = d[i + 1][k + 1] + (a[i] == b[k] ? 0 : 1);
                d[i][k] = Math.min(diag, Math.min(d[i + 1][k], d[i][k + 1]) + 1);
            }
        }
        List<Row> rows = new ArrayList<>(Math.max(n, m));
        int i = 0;
        int k = 0;
        while (i < n || k < m) {
            if (i < n && k < m && a[i] == b[k] && d[i][k] == d[i + 1][k + 1]) {
                rows.add(new Row(Op.SAME, i++, k++));
            } else if (i < n && k < m && d[i][k] == d[i + 1][k + 1] + 1) {
                rows.add(new Row(Op.CHANGED, i++, k++));
            } else if (i < n && d[i][k] == d[i + 1][k] + 1) {
                rows.add(new Row(Op.LEFT_ONLY, i++, -1));
            } else {
                rows.add(new Row(Op.RIGHT_ONLY, -1, k++));
            }
        }
        return rows;
    }
}
