// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.ast.Operand.Str;
import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.source.Span;
import java.util.List;

/**
 * {@code rule lan-web: in lan from lan to any service web state new accept log comment "browsing"}.
 *
 * @param name null for an unnamed rule (the tool derives an id; {@code rampart fmt --name-rules} writes one in)
 */
public record Rule(Span span, Word name, List<Match> matches, Action action, List<Option> options) {

    public enum MatchKind {
        IN("in"), OUT("out"), FROM("from"), TO("to"), PROTO("proto"), SERVICE("service"),
        SPORT("sport"), DPORT("dport"), FLAGS("flags"), ICMP_TYPE("icmp-type"), ICMP_CODE("icmp-code"),
        STATE("state");

        public final String keyword;

        MatchKind(String keyword) { this.keyword = keyword; }

        /** values() copies the array on every call, and the parser asks once per word of every rule. */
        private static final MatchKind[] ALL = values();

        public static MatchKind byKeyword(String k) {
            for (MatchKind m : ALL) if (m.keyword.equals(k)) return m;
            return null;
        }
    }

    /** One {@code keyword operand} condition. */
    public record Match(Span span, MatchKind kind, Operand value) {}

    public enum ActionKind { ACCEPT, DROP, REJECT }

    /** {@code accept}, {@code drop}, {@code reject} or {@code reject with tcp-reset}. */
    public record Action(Span span, ActionKind kind, Word rejectWith) {}

    public enum OptionKind { LOG, COUNT, DISABLED, COMMENT }

    /** {@code log}, {@code count}, {@code disabled}, {@code comment "text"} (text non-null only for COMMENT). */
    public record Option(Span span, OptionKind kind, Str text) {}
}
