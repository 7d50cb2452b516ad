// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user meets it: exit codes, what goes to stdout and stderr, on real example files. */
class CliTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path CAPTURES = Path.of("..", "rule-dsl", "tests", "capture");

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static void assertNoStackTrace(Run r) {
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), "stack trace leaked: " + r.err);
        assertFalse(r.out.contains("Exception"), "stack trace leaked: " + r.out);
    }

    @Test
    void checkAcceptsTheExamples() {
        for (String f : new String[] {"office.rampart", "server.rampart"}) {
            Run r = run("check", EXAMPLES.resolve(f).toString());
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains(": ok ("), r.out);
        }
    }

    @Test
    void checkReportsEveryErrorWithLocationCaretAndSuggestion() throws IOException {
        Path p = write("bad.rampart", """
                net lan = 10.1.0.0/16
                service web = tcp 80, 443
                chain forward policy drop {
                  rule a: from lna to any service web accept
                  rule b: from lan service wbe accept
                }
                """);
        Run r = run("check", p.toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("bad.rampart:4:16: error[unknown-name]"), r.err);
        assertTrue(r.err.contains("did you mean 'lan'?"), r.err);
        assertTrue(r.err.contains("bad.rampart:5:28: error[unknown-name]"), r.err);
        assertTrue(r.err.contains("did you mean 'web'?"), r.err);
        assertTrue(r.err.contains("^^^"), "caret under the name: " + r.err);
        assertTrue(r.err.contains("2 errors"), r.err);
        assertNoStackTrace(r);
    }

    @Test
    void checkJsonCarriesTheDiagnostics() throws IOException {
        Path p = write("bad.rampart", "chain forward policy drop {\n  rule a: from nowhere accept\n}\n");
        Run r = run("check", "--json", p.toString());
        assertEquals(1, r.code);
        assertTrue(r.out.startsWith("{\"file\":"), r.out);
        assertTrue(r.out.contains("\"ok\":false"), r.out);
        assertTrue(r.out.contains("\"code\":\"unknown-name\",\"file\":\"" + p + "\",\"line\":2,\"column\":16"), r.out);
    }

    @Test
    void missingFileIsAUsageError() {
        Run r = run("check", tmp.resolve("nope.rampart").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("does not exist"), r.err);
    }

    @Test
    void unknownCommandIsAUsageErrorWithSuggestion() {
        Run r = run("chek", "x");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("check"), r.err);
    }

    @Test
    void garbageBytesGiveDiagnosticsNotACrash() throws IOException {
        byte[] junk = new byte[200_000];
        new Random(7).nextBytes(junk);
        Path p = tmp.resolve("junk.rampart");
        Files.write(p, junk);
        Run r = run("check", p.toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("error["), r.err.substring(0, Math.min(500, r.err.length())));
        assertNoStackTrace(r);
    }

    @Test
    void deepNestingGivesADiagnostic() throws IOException {
        Path p = write("deep.rampart", "net a = " + "{".repeat(10_000) + "10.0.0.1" + "}".repeat(10_000) + "\n");
        Run r = run("check", p.toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("nesting"), r.err.substring(0, Math.min(500, r.err.length())));
        assertNoStackTrace(r);
    }

    @Test
    void fmtCheckAndWrite() throws IOException {
        Path p = write("p.rampart", "net   lan=10.0.0.0/8   # inside\nchain forward policy drop {\nrule a: from lan accept\n}\n");
        Run check = run("fmt", "--check", p.toString());
        assertEquals(1, check.code);
        assertTrue(check.out.contains("not formatted"), check.out);
        Run write = run("fmt", "-w", p.toString());
        assertEquals(0, write.code, write.err);
        String formatted = Files.readString(p);
        assertTrue(formatted.contains("net lan = 10.0.0.0/8  # inside"), formatted);
        assertTrue(formatted.contains("\n  rule a: from lan accept\n"), formatted);
        assertEquals(0, run("fmt", "--check", p.toString()).code);
        assertEquals(formatted, run("fmt", p.toString()).out, "printing a formatted file changes nothing");
    }

    @Test
    void fmtNameRulesWritesStableIds() throws IOException {
        Path p = write("p.rampart", "chain input policy drop {\n  rule proto tcp dport 22 accept\n}\n");
        Run r = run("fmt", "--name-rules", p.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.matches("(?s).*rule anon-[0-9a-f]{8}: proto tcp dport 22 accept.*"), r.out);
        // The id written in is the id the unnamed rule already had: counters keep their name.
        Path named = write("named.rampart", r.out);
        String id = r.out.replaceAll("(?s).*rule (anon-[0-9a-f]{8}):.*", "$1");
        Run sim = run("simulate", p.toString(), "--packet", "tcp 1.2.3.4:5 -> 5.6.7.8:22 on input");
        assertTrue(sim.out.contains("rule " + id), sim.out);
        Run sim2 = run("simulate", named.toString(), "--packet", "tcp 1.2.3.4:5 -> 5.6.7.8:22 on input");
        assertTrue(sim2.out.contains("rule " + id), sim2.out);
    }

    @Test
    void fmtRefusesAFileWithSyntaxErrors() throws IOException {
        Path p = write("p.rampart", "chain forward policy drop {\n  rule a: from accept\n");
        Run r = run("fmt", "-w", p.toString());
        assertEquals(1, r.code);
        assertEquals("chain forward policy drop {\n  rule a: from accept\n", Files.readString(p), "file untouched");
    }

    @Test
    void testCommandRunsThePolicyTests() {
        Run r = run("test", EXAMPLES.resolve("office.rampart").toString());
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.matches("(?s).*\\b(\\d+) tests, \\1 passed, 0 failed.*"), r.out);
    }

    @Test
    void failingTestExitsOneAndExplains() throws IOException {
        Path p = write("t.rampart", """
                chain forward policy drop {
                  rule web: proto tcp dport 80 accept
                }
                test "https allowed": tcp 10.0.0.1:5000 -> 10.0.0.2:443 expect accept by web
                test "http allowed": tcp 10.0.0.1:5000 -> 10.0.0.2:80 expect accept by web
                """);
        Run r = run("test", p.toString());
        assertEquals(1, r.code);
        assertTrue(r.out.contains("t.rampart:4:1: FAIL https allowed: expected accept by web, got drop by policy"), r.out);
        assertTrue(r.out.contains("rule web: dport 443 not in 80"), r.out);
        assertTrue(r.out.contains("2 tests, 1 passed, 1 failed"), r.out);
    }

    @Test
    void simulateShowsVerdictRuleAndTrace() {
        Run r = run("simulate", EXAMPLES.resolve("office.rampart").toString(),
                "--packet", "tcp 10.99.0.7:40000 -> 10.20.3.4:445 in guest0 out lan0");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("verdict: reject"), r.out);
        assertTrue(r.out.contains("by:      rule guest-to-inside (../examples/office.rampart:"), r.out);
        assertTrue(r.out.contains("rule fw-replies: state new not in established,related"), r.out);
    }

    @Test
    void simulateRejectsABadPacketWithADiagnostic() {
        Run r = run("simulate", EXAMPLES.resolve("office.rampart").toString(), "--packet", "tcp 10.0.0.300:5 -> 10.0.0.1:80");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--packet:1:"), r.err);
        assertNoStackTrace(r);
    }

    @Test
    void traceSummarisesACapture() throws IOException {
        Path policy = write("lo.rampart", """
                chain input policy drop {
                  rule replies: state established, related accept
                  rule local-tcp: proto tcp state new accept
                }
                """);
        Path cap = CAPTURES.resolve("loopback-tcpdump.pcap");
        Run r = run("trace", policy.toString(), cap.toString(), "--hook", "input", "--in", "lo");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("frames"), r.out);
        assertTrue(r.out.matches("(?s).*\\nlocal-tcp +accept +[1-9]\\d* .*"), r.out);
        assertTrue(r.out.matches("(?s).*\\nreplies +accept +[1-9]\\d* .*"), r.out);
    }

    @Test
    void damagedCaptureKeepsWhatWasReadAndExitsTwo() throws IOException {
        byte[] whole = Files.readAllBytes(CAPTURES.resolve("loopback-tcpdump.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 7));
        Path policy = write("lo.rampart", "chain input policy accept {\n  rule any-tcp: proto tcp accept\n}\n");
        Run r = run("trace", policy.toString(), cut.toString(), "--hook", "input");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("is damaged at byte"), r.err);
        assertTrue(r.out.matches("(?s).*\\nany-tcp +accept +[1-9]\\d* .*"), "packets before the damage counted: " + r.out);
        assertNoStackTrace(r);
    }

    @Test
    void readmeTourCommandsWork() throws IOException {
        // The README promises these exact commands; keep them honest.
        assertEquals(0, run("check", EXAMPLES.resolve("office.rampart").toString()).code);
        assertEquals(0, run("fmt", "--check", EXAMPLES.resolve("office.rampart").toString(),
                EXAMPLES.resolve("server.rampart").toString()).code);
        String text = Files.readString(EXAMPLES.resolve("office.rampart"), StandardCharsets.UTF_8);
        assertTrue(text.contains("rule lan-out:"));
    }
}
