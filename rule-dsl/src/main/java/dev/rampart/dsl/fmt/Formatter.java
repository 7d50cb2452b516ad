// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.fmt;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.ServiceItem;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.source.SourceFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

/**
 * The canonical text of a policy: one declaration per line, rules indented two spaces, single
 * spaces, comments kept. Printing is driven by the AST alone; the source text is consulted only to
 * place comments and to keep (at most one) blank line where the author left one.
 *
 * <p>Comment placement: a comment at the end of a line whose node ends there stays at the end of
 * that node's line; a comment on its own line stays before the node that follows it, at that node's
 * indentation; a comment inside a node that spans lines (which becomes one line) moves just before
 * that node, since a '#' cannot sit in the middle of a line.
 */
public final class Formatter {
    private Formatter() {}

    public static String format(PolicyFile f) { return format(f, false); }

    /** With {@code nameRules}, every unnamed rule is written with its {@link #anonymousId} as its name. */
    public static String format(PolicyFile f, boolean nameRules) {
        return new Printer(f, nameRules).print();
    }

    /**
     * A rule's canonical one-line text without its name and without the {@code comment} and
     * {@code disabled} options, so that editing a comment or disabling a rule keeps its identity.
     */
    public static String ruleText(Rule r) {
        StringBuilder sb = new StringBuilder();
        for (Rule.Match m : r.matches()) sb.append(match(m)).append(' ');
        sb.append(action(r.action()));
        for (Rule.Option o : r.options()) {
            if (o.kind() == Rule.OptionKind.LOG || o.kind() == Rule.OptionKind.COUNT) sb.append(' ').append(option(o));
        }
        return sb.toString();
    }

    /** The id of an unnamed rule: {@code anon-} and the FNV-1a-32 of {@link #ruleText}, as 8 hex digits. */
    public static String anonymousId(Rule r) {
        return String.format("anon-%08x", IrRule.numericIdOf(ruleText(r)));
    }

    /** {@code rule name: matches action options}, or without the name part for an unnamed rule. */
    public static String ruleLine(Rule r, boolean nameRules) {
        StringBuilder sb = new StringBuilder("rule ");
        if (r.name() != null) sb.append(r.name().text()).append(": ");
        else if (nameRules) sb.append(anonymousId(r)).append(": ");
        for (Rule.Match m : r.matches()) sb.append(match(m)).append(' ');
        sb.append(action(r.action()));
        for (Rule.Option o : r.options()) sb.append(' ').append(option(o));
        return sb.toString();
    }

    public static String formatPacket(PacketSpec p) {
        StringBuilder sb = new StringBuilder(p.protocol().text()).append(' ');
        sb.append(endpoint(p.src())).append(" -> ").append(endpoint(p.dst()));
        for (PacketSpec.Attr a : p.attrs()) {
            sb.append(' ').append(a.key()).append(' ');
            if (a.key().equals("with") && a.value() instanceof Operand.ListOf l && !l.items().isEmpty()) {
                sb.append(operand(l.items().get(0), false));
                StringJoiner j = new StringJoiner(", ", " ", "");
                for (Operand o : l.items().subList(1, l.items().size())) j.add(operand(o, false));
                if (l.items().size() > 1) sb.append(j);
            } else {
                sb.append(operand(a.value(), true));
            }
        }
        return sb.toString();
    }

    private static String endpoint(PacketSpec.Endpoint e) {
        String a = e.address().text();
        if (e.port() == null) return a;
        return a.indexOf(':') >= 0 ? "[" + a + "]:" + e.port().text() : a + ":" + e.port().text();
    }

    /** The one-line text of a declaration other than a chain (a chain spans several lines). */
    public static String declLine(Decl d) {
        if (d instanceof Decl.Include i) return "include " + quote(i.path().value());
        if (d instanceof Decl.Define def) return "define " + def.name().text() + " = " + list(def.value());
        if (d instanceof Decl.Net n) return (n.host() ? "host " : "net ") + n.name().text() + " = " + list(n.items());
        if (d instanceof Decl.Zone z) return "zone " + z.name().text() + " = " + list(z.items());
        if (d instanceof Decl.Service s) return "service " + s.name().text() + " = " + services(s.items());
        if (d instanceof Decl.Set s) return setLine(s);
        if (d instanceof Decl.Test t) {
            return "test " + quote(t.name().value()) + ": " + formatPacket(t.packet()) + " expect "
                    + t.expect().verdict().text() + (t.expect().rule() == null ? "" : " by " + t.expect().rule().text());
        }
        return chainHeader((Decl.Chain) d);
    }

    static String chainHeader(Decl.Chain c) {
        return "chain " + c.hook().text() + " policy " + c.policy().text() + " {";
    }

    private static String setLine(Decl.Set s) {
        if (!s.dynamic()) return "set " + s.name().text() + " = " + list(s.elements());
        StringBuilder sb = new StringBuilder("set ").append(s.name().text()).append(" dynamic");
        if (s.family() != null) sb.append(' ').append(s.family().text());
        if (s.capacity() != null) sb.append(" capacity ").append(s.capacity().text());
        if (s.timeout() != null) sb.append(" timeout ").append(s.timeout().text());
        return sb.toString();
    }

    private static String services(List<ServiceItem> items) {
        StringJoiner j = new StringJoiner(", ");
        for (ServiceItem i : items) {
            if (i instanceof ServiceItem.Proto p) {
                j.add(p.args().isEmpty() ? p.protocol().text() : p.protocol().text() + " " + list(p.args()));
            } else {
                j.add(operand(((ServiceItem.Ref) i).target(), false));
            }
        }
        return j.toString();
    }

    private static String list(List<Operand> items) {
        StringJoiner j = new StringJoiner(", ");
        for (Operand o : items) j.add(operand(o, false));
        return j.toString();
    }

    /**
     * @param top true where an unbraced list may stand bare (a match's value); anywhere else a
     *            list must keep braces or it would flatten into its surroundings on re-parse
     */
    static String operand(Operand o, boolean top) {
        if (o instanceof Operand.Word w) return w.text();
        if (o instanceof Operand.Str s) return quote(s.value());
        if (o instanceof Operand.VarRef v) return "$" + v.name();
        if (o instanceof Operand.SetRef s) return "@" + s.name();
        if (o instanceof Operand.Any) return "any";
        if (o instanceof Operand.Not n) return "!" + operand(n.inner(), false);
        if (o instanceof Operand.ListOf l) return (l.braced() || !top) ? "{ " + list(l.items()) + " }" : list(l.items());
        return flags((Operand.Flags) o);
    }

    private static String flags(Operand.Flags f) {
        StringJoiner set = new StringJoiner(",");
        for (Operand.Word w : f.set()) set.add(w.text());
        if (f.mask().isEmpty()) return set.toString();
        StringJoiner mask = new StringJoiner(",");
        for (Operand.Word w : f.mask()) mask.add(w.text());
        return set + " / " + mask;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String match(Rule.Match m) {
        return m.kind().keyword + " " + operand(m.value(), true);
    }

    private static String action(Rule.Action a) {
        String s = a.kind().name().toLowerCase(java.util.Locale.ROOT);
        return a.rejectWith() == null ? s : s + " with " + a.rejectWith().text();
    }

    private static String option(Rule.Option o) {
        return switch (o.kind()) {
            case LOG -> "log";
            case COUNT -> "count";
            case DISABLED -> "disabled";
            case COMMENT -> "comment " + quote(o.text() == null ? "" : o.text().value());
        };
    }

    /** Walks declarations and comments together, both in source order. */
    private static final class Printer {
        private final SourceFile src;
        private final List<Decl> decls;
        private final List<Comment> comments;
        private final boolean nameRules;
        private final StringBuilder out = new StringBuilder();
        private int next;
        /** True where a blank line would be noise: at the top of the file or of a chain. */
        private boolean blockStart = true;

        Printer(PolicyFile f, boolean nameRules) {
            this.src = f.source();
            this.decls = f.decls();
            List<Comment> cs = new ArrayList<>(f.comments());
            cs.sort(Comparator.comparingInt(c -> c.span().start()));
            this.comments = cs;
            this.nameRules = nameRules;
        }

        String print() {
            for (Decl d : decls) {
                if (d instanceof Decl.Chain c) {
                    chain(c);
                } else {
                    node(d.span().start(), d.span().end(), "", declLine(d));
                }
            }
            ownLineCommentsBefore(Integer.MAX_VALUE, "");
            return out.toString();
        }

        private void chain(Decl.Chain c) {
            int open = openBrace(c);
            node(c.span().start(), open, "", chainHeader(c));
            blockStart = true;
            for (Rule r : c.rules()) node(r.span().start(), r.span().end(), "  ", ruleLine(r, nameRules));
            ownLineCommentsBefore(c.closeBrace().start(), "  ");
            blockStart = false;
            out.append('}');
            trailing(c.closeBrace().end());
            out.append('\n');
        }

        /**
         * One node's line: the comments before it, the comments from inside it, the line, then a
         * comment that ended the node's last source line.
         */
        private void node(int start, int end, String indent, String line) {
            ownLineCommentsBefore(start, indent);
            boolean blank = blankBefore(start);
            boolean inner = false;
            while (next < comments.size() && comments.get(next).span().start() < end) {
                emitBlank(blank && !inner);
                out.append(indent).append(commentText(comments.get(next++))).append('\n');
                inner = true;
            }
            emitBlank(blank && !inner);
            out.append(indent).append(line);
            trailing(end);
            out.append('\n');
        }

        private void ownLineCommentsBefore(int limit, String indent) {
            while (next < comments.size() && comments.get(next).span().start() < limit) {
                Comment c = comments.get(next++);
                emitBlank(blankBefore(c.span().start()));
                out.append(indent).append(commentText(c)).append('\n');
            }
        }

        private void trailing(int nodeEnd) {
            if (next >= comments.size()) return;
            Comment c = comments.get(next);
            int endLine = src.line(Math.max(0, nodeEnd - 1));
            // Only if nothing but blanks separates them: in "net a = 1 net b = 2  # c" the comment is b's.
            if (c.span().start() >= nodeEnd && src.line(c.span().start()) == endLine
                    && src.text().substring(nodeEnd, c.span().start()).isBlank()) {
                out.append("  ").append(commentText(c));
                next++;
            }
        }

        private void emitBlank(boolean wanted) {
            if (wanted && !blockStart) out.append('\n');
            blockStart = false;
        }

        private static String commentText(Comment c) { return ("#" + c.text()).stripTrailing(); }

        /** Whether the author left an empty line right above the line that this offset starts. */
        private boolean blankBefore(int offset) {
            String text = src.text();
            int o = Math.min(offset, text.length());
            int lineStart = text.lastIndexOf('\n', o - 1) + 1;
            if (!text.substring(lineStart, o).isBlank()) return false;
            int line = src.line(o);
            return line > 1 && src.lineText(line - 1).isBlank();
        }

        /** The '{' of a chain is not in the AST; find it after the policy word, skipping comments. */
        private int openBrace(Decl.Chain c) {
            String text = src.text();
            int limit = Math.min(c.span().end(), text.length());
            for (int i = c.policy().span().end(); i < limit; i++) {
                char ch = text.charAt(i);
                if (ch == '{') return i + 1;
                if (ch == '#') {
                    int nl = text.indexOf('\n', i);
                    if (nl < 0) break;
                    i = nl;
                }
            }
            return c.policy().span().end();
        }
    }
}
