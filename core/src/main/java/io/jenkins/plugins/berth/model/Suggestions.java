package io.jenkins.plugins.berth.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?": the closest known word within a small edit distance. */
final class Suggestions {
    private Suggestions() {}

    static Optional<String> closest(String word, Collection<String> known) {
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return known.stream()
                .filter(candidate -> distance(word.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt((String candidate) -> distance(word.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** " did you mean 'x'?" or nothing, ready to append to a message. */
    static String hint(String word, Collection<String> known) {
        return closest(word, known).map(match -> "; did you mean '" + match + "'?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
