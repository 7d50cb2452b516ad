// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.gen.AstShape;
import dev.rampart.dsl.gen.PolicyTextGenerator;
import dev.rampart.dsl.gen.RoundTrip;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatterTest {

    static PolicyFile parse(String text) {
        Result<PolicyFile> r = Parser.parse(new SourceFile("t.rampart", text));
        assertFalse(r.diagnostics().hasErrors(), () -> DiagnosticRenderer.renderAll(r.diagnostics()) + "---\n" + text);
        return r.value();
    }

    static List<Rule> rules(String chainBody) {
        return ((Decl.Chain) parse("chain forward policy drop {\n" + chainBody + "\n}\n").decls().get(0)).rules();
    }

    @Test
    void generatedPoliciesRoundTrip() {
        for (long seed = 1; seed <= 400; seed++) {
            String text = new PolicyTextGenerator(seed).policy();
            Result<PolicyFile> r = Parser.parse(new SourceFile("seed-" + seed + ".rampart", text));
            long s = seed;
            assertFalse(r.diagnostics().hasErrors(), () -> "generator seed " + s + " made invalid text:\n"
                    + DiagnosticRenderer.renderAll(r.diagnostics()) + "---\n" + text);
            RoundTrip.assertStable(r.value(), false);
            RoundTrip.assertStable(r.value(), true);
        }
    }

    @Test
    void canonicalLayout() {
        String out = Formatter.format(parse("net   lan=10.1.0.0/16,{ a,!b }\nchain input policy drop {rule x:from lan,b\n accept log}\n"));
        assertEquals("net lan = 10.1.0.0/16, { a, !b }\nchain input policy drop {\n  rule x: from lan, b accept log\n}\n", out);
    }

    @Test
    void commentsStayWithTheirLines() {
        String out = Formatter.format(parse("""
                net a = 1.2.3.4 # end of a
                chain input policy drop { # header
                  # before r
                  rule r: from a # inside r
                    accept # end of r
                  # last
                } # after
                """));
        assertEquals("""
                net a = 1.2.3.4  # end of a
                chain input policy drop {  # header
                  # before r
                  # inside r
                  rule r: from a accept  # end of r
                  # last
                }  # after
                """, out);
    }

    @Test
    void anEndOfLineCommentBelongsToTheLastNodeOnThatLine() {
        String out = Formatter.format(parse("net a = 1.2.3.4 net b = 1.2.3.5  # b's\nchain input policy drop { rule r: accept }  # closing\n"));
        assertEquals("net a = 1.2.3.4\nnet b = 1.2.3.5  # b's\nchain input policy drop {\n  rule r: accept\n}  # closing\n", out);
    }

    @Test
    void nameRulesWritesTheAnonymousIds() {
        List<Rule> rs = rules("rule from lan accept\nrule named: drop");
        String expectedId = Formatter.anonymousId(rs.get(0));
        String out = Formatter.format(parse("chain forward policy drop {\nrule from lan accept\nrule named: drop\n}\n"), true);
        assertTrue(out.contains("  rule " + expectedId + ": from lan accept\n"), out);
        assertTrue(out.contains("  rule named: drop\n"), out);
        List<Rule> named = ((Decl.Chain) parse(out).decls().get(0)).rules();
        assertEquals(expectedId, named.get(0).name().text());
    }

    @Test
    void ruleTextLeavesOutNameCommentAndDisabled() {
        List<Rule> rs = rules("""
                rule a: from lan to any service web accept log comment "one"
                rule from   lan to any
                  service web accept log disabled comment "two"
                rule from lan to any service web drop log
                """);
        assertEquals("from lan to any service web accept log", Formatter.ruleText(rs.get(0)));
        assertEquals(Formatter.ruleText(rs.get(0)), Formatter.ruleText(rs.get(1)));
        assertEquals(Formatter.anonymousId(rs.get(0)), Formatter.anonymousId(rs.get(1)));
        assertNotEquals(Formatter.anonymousId(rs.get(0)), Formatter.anonymousId(rs.get(2)));
    }

    @Test
    void anonymousIdIsFnv1aOfTheRuleText() {
        // FNV-1a-32 of "accept", computed independently: 0x08247e29.
        assertEquals("anon-08247e29", Formatter.anonymousId(rules("rule accept").get(0)));
        assertTrue(Formatter.anonymousId(rules("rule from fd00::/8 dport 1-1024 reject with tcp-reset").get(0))
                .matches("anon-[0-9a-f]{8}"));
    }

    @Test
    void packetsRoundTrip() {
        for (long seed = 1; seed <= 300; seed++) {
            String text = new PolicyTextGenerator(seed).packet();
            Result<PacketSpec> r = Parser.parsePacket(new SourceFile("<packet>", text));
            assertTrue(r.ok(), () -> text + "\n" + DiagnosticRenderer.renderAll(r.diagnostics()));
            String once = Formatter.formatPacket(r.value());
            Result<PacketSpec> again = Parser.parsePacket(new SourceFile("<packet>", once));
            assertTrue(again.ok(), once);
            assertEquals(AstShape.of(r.value()), AstShape.of(again.value()), once);
            assertEquals(once, Formatter.formatPacket(again.value()));
        }
        PacketSpec p = Parser.parsePacket(new SourceFile("<packet>",
                "tcp 10.1.2.3:50000->[fd00::1]:443 on input in lan0 state new flags syn,ack with @bl 203.0.113.9,10.0.0.1")).value();
        assertEquals("tcp 10.1.2.3:50000 -> [fd00::1]:443 on input in lan0 state new flags syn,ack with @bl 203.0.113.9, 10.0.0.1",
                Formatter.formatPacket(p));
    }
}
