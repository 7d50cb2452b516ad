// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Rule.MatchKind;
import java.util.EnumSet;
import java.util.Set;

/** The editable columns of the rule table and the part of a rule each one shows. */
public enum RuleColumn {
    NAME("Name"),
    IN("In", MatchKind.IN),
    OUT("Out", MatchKind.OUT),
    FROM("From", MatchKind.FROM),
    TO("To", MatchKind.TO),
    SERVICE("Service", MatchKind.SERVICE),
    PROTO("Proto", MatchKind.PROTO),
    PORT("Port", MatchKind.DPORT),
    /** Less common conditions, each written with its keyword: {@code sport 53 icmp-type echo-request}. */
    MORE("More", MatchKind.SPORT, MatchKind.FLAGS, MatchKind.ICMP_TYPE, MatchKind.ICMP_CODE),
    STATE("State", MatchKind.STATE),
    ACTION("Action"),
    /** {@code log} and/or {@code count}. */
    LOG("Log"),
    COMMENT("Comment");

    public final String title;
    private final Set<MatchKind> kinds;

    RuleColumn(String title, MatchKind... kinds) {
        this.title = title;
        this.kinds = kinds.length == 0 ? EnumSet.noneOf(MatchKind.class) : EnumSet.of(kinds[0], kinds);
    }

    /** The match kinds this column shows; empty for the name, action and option columns. */
    public Set<MatchKind> kinds() { return kinds; }

    public boolean isMatch() { return !kinds.isEmpty(); }

    /** Whether a cell shows each condition with its keyword (only when the column mixes several kinds). */
    boolean keywordsShown() { return kinds.size() > 1; }
}
