// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Input no one should write but someone will feed in: huge, deep, binary, unterminated. */
class BadInputTest {

    private static List<String> codes(Result<?> r) {
        return r.diagnostics().sorted().stream().map(Diagnostic::code).toList();
    }

    @Test
    void fiftyMegabytesOfGarbageEndWithCappedDiagnostics() {
        // Policy-ish garbage: the characters the lexer cares about, so every parser path is exercised.
        String palette = "net chain rule test { } [ ] ! @ $ , = : -> \" # \n abc 10.0.0.1 fd00::1 \0 ; \u00ff";
        Random rnd = new Random(50);
        int size = 50 * 1024 * 1024;
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() < size) {
            int from = rnd.nextInt(palette.length());
            sb.append(palette, from, Math.min(palette.length(), from + 1 + rnd.nextInt(12)));
        }
        SourceFile f = new SourceFile("garbage.rampart", sb.toString());
        sb.setLength(0);
        Result<PolicyFile> r = ParseInvariants.check(f);
        assertEquals(Diagnostics.LIMIT, r.diagnostics().all().size());
        assertTrue(r.diagnostics().dropped() > 1000, "dropped " + r.diagnostics().dropped());
        assertTrue(DiagnosticRenderer.renderAll(r.diagnostics()).contains("more diagnostics not shown"));
    }

    @Test
    void tenThousandNestedBracesAreOneErrorAndParsingGoesOn() {
        String deep = "{".repeat(10_000) + "10.0.0.1" + "}".repeat(10_000);
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("deep.rampart", "net a = " + deep + "\nnet b = 10.0.0.2\n"));
        assertEquals(List.of("nesting-too-deep"), codes(r));
        Diagnostic d = r.diagnostics().all().get(0);
        assertEquals(9 + Parser.MAX_DEPTH, d.span().column(), "reported at the first brace past the limit");
        assertEquals(1, r.value().decls().size());
        assertEquals("b", ((Decl.Net) r.value().decls().get(0)).name().text());
    }

    @Test
    void tenThousandNegationsInARuleAreOneErrorAndTheNextRuleParses() {
        String text = "chain input policy drop {\n  rule a: from " + "!".repeat(10_000) + "lan accept\n  rule b: drop\n}\n";
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("bang.rampart", text));
        assertEquals(List.of("nesting-too-deep"), codes(r));
        Decl.Chain c = (Decl.Chain) r.value().decls().get(0);
        assertEquals(List.of("b"), c.rules().stream().map(x -> x.name().text()).toList());
    }

    @Test
    void unclosedDeepNestingEndsAtTheEndOfTheFile() {
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("open.rampart",
                "chain forward policy drop { rule x: to " + "{!".repeat(10_000)));
        assertTrue(codes(r).contains("nesting-too-deep"), codes(r).toString());
        assertTrue(codes(r).contains("unexpected-end"), codes(r).toString());
    }

    @Test
    void unterminatedStringsAreReportedAndTheNextLineStillParses() {
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("s.rampart", "include \"common.rampart\nnet a = 10.0.0.1\n"));
        assertEquals(List.of("unterminated-string"), codes(r));
        assertEquals(2, r.value().decls().size());
        assertEquals("common.rampart", ((Decl.Include) r.value().decls().get(0)).path().value());
        Result<PolicyFile> atEof = ParseInvariants.check(new SourceFile("e.rampart", "zone z = \"eth0\\"));
        assertTrue(codes(atEof).contains("unterminated-string"), codes(atEof).toString());
    }

    @Test
    void nulBytesAreOneDiagnosticPerRun() {
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("nul.rampart", "net a = 10.0.0.1\0\0\0\0\nnet b = 10.0.0.2\n"));
        assertEquals(List.of("bad-character"), codes(r));
        Diagnostic d = r.diagnostics().all().get(0);
        assertTrue(d.message().contains("U+0000"), d.message());
        assertEquals(4, d.span().end() - d.span().start());
        assertEquals(2, r.value().decls().size());
        assertFalse(DiagnosticRenderer.render(d).contains("\0"), "control characters must not reach the terminal");
    }

    @Test
    void binaryFilesGiveDiagnosticsNotExceptions() {
        byte[] bytes = new byte[256 * 1024];
        new Random(7).nextBytes(bytes);
        for (String charset : List.of("ISO-8859-1", "UTF-8")) {
            String text = new String(bytes, java.nio.charset.Charset.forName(charset));
            Result<PolicyFile> r = ParseInvariants.check(new SourceFile("blob." + charset, text));
            assertTrue(r.diagnostics().hasErrors());
        }
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("utf8.rampart", new String(bytes, 0, 64, StandardCharsets.UTF_16)));
        assertTrue(r.diagnostics().hasErrors());
    }

    @Test
    void hugeWordsAreAbbreviatedInMessages() {
        String word = "x".repeat(5_000_000);
        Result<PolicyFile> r = ParseInvariants.check(new SourceFile("long.rampart",
                "chain " + word + " policy drop {\n}\nnet " + word + " = 10.0.0.1\n"));
        assertEquals(List.of("unknown-keyword", "bad-name"), codes(r));
        for (Diagnostic d : r.diagnostics().all()) assertTrue(d.message().length() < 200, d.message().length() + " chars");
        assertTrue(DiagnosticRenderer.renderAll(r.diagnostics()).length() < 2000);
    }

    @Test
    void badPacketsGiveDiagnosticsAndNoPacket() {
        for (String text : List.of("", "tcp", "tcp 1.2.3.4 ->", "tcp [fd00::1 -> 1.2.3.4", "\0\0", "tcp 1.2.3.4:80 -> 5.6.7.8:90 with @",
                "tcp 1.2.3.4:80 -> 5.6.7.8:90 flags")) {
            Result<PacketSpec> r = ParseInvariants.checkPacket(new SourceFile("<packet>", text));
            assertNull(r.value(), text);
            assertTrue(r.diagnostics().hasErrors(), text);
        }
    }
}
