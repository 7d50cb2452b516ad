package dev.rampart.dsl;

import dev.rampart.dsl.ast.Rule;

/**
 * Interim id of an unnamed rule until the formatter's canonical text is available: "anon-" and
 * 8 hex digits of FNV-1a over the rule's source text with whitespace runs collapsed.
 */
final class AnonId {
    private AnonId() {}

    static String of(Rule r) {
        String text = r.span().text().replaceAll("\\s+", " ").trim();
        int h = 0x811c9dc5;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return String.format("anon-%08x", h);
    }
}
