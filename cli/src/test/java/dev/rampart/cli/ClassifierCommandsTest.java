// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClassifierCommandsTest {
    static final String RULES = """
            @10.0.0.0/8\t192.168.1.1/32\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0000
            @0.0.0.0/0\t192.168.1.0/24\t1024 : 65535\t0 : 65535\t0x11/0xFF\t0x1000/0x1000
            @0.0.0.0/0\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x00/0x00\t0x0000/0x0000
            """;
    static final String HEADERS = """
            167772161\t3232235777\t5000\t80\t6\t0
            167772161\t3232235777\t5000\t81\t6\t2
            1\t3232235778\t2000\t53\t17\t1
            """;

    record Run(int exit, String out, String err) {}

    static Run run(Object cmd, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void compileInspectClassify(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("r.rules"), RULES), table = dir.resolve("t.bin");
        Path headers = Files.writeString(dir.resolve("h.trace"), HEADERS);
        Run c = run(new CompileCommand(), rules.toString(), "-o", table.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("3 rules in 1 chains"), c.out());
        Run i = run(new InspectCommand(), table.toString());
        assertEquals(0, i.exit(), i.err());
        assertTrue(i.out().contains("chain forward policy drop: 3 rules"), i.out());
        assertTrue(i.out().contains("src 10.0.0.0-10.255.255.255 dst 192.168.1.1 proto 6 dport 80"), i.out());
        for (String engine : new String[] {"reference", "java"}) {
            Run r = run(new ClassifyCommand(), rules.toString(), "--headers", headers.toString(), "--engine", engine);
            assertEquals(0, r.exit(), engine + ": " + r.out() + r.err());
            assertTrue(r.out().contains("3 packets, 0 mismatches"), r.out());
        }
        Run fromTable = run(new ClassifyCommand(), table.toString(), "--headers", headers.toString());
        assertEquals(0, fromTable.exit(), fromTable.err());
    }

    @Test
    void mismatchesAreReportedWithExitOne(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("r.rules"), RULES);
        Path headers = Files.writeString(dir.resolve("h.trace"), HEADERS.replace("\t6\t2\n", "\t6\t1\n"));
        Run r = run(new ClassifyCommand(), rules.toString(), "--headers", headers.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("mismatch at line 2"), r.out());
        assertTrue(r.out().contains("3 packets, 1 mismatches"), r.out());
    }

    @Test
    void withoutExpectedColumnEachDecisionIsPrinted(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("r.rules"), RULES);
        Path headers = Files.writeString(dir.resolve("h.trace"), "167772161\t3232235777\t5000\t80\t6\n");
        Run r = run(new ClassifyCommand(), rules.toString(), "--headers", headers.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("1: tcp 10.0.0.1:5000 -> 192.168.1.1:80 flags none state new => accept by cb0", r.out().strip());
    }

    /** Builds librampart-core.so with make; skips only where make or gcc is missing. */
    static Path coreLibrary() throws Exception {
        Path core = Path.of("..", "engine-kmod", "core").toAbsolutePath().normalize();
        boolean tools = false;
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            tools |= Files.isExecutable(Path.of(d, "gcc"));
        }
        assumeTrue(tools, "gcc missing");
        Process p = new ProcessBuilder("make", "-s", "-C", core.toString(), "build/librampart-core.so")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "make: " + out);
        return core.resolve("build/librampart-core.so");
    }

    @Test
    void nativeEngineRunsTheCCoreThroughJna(@TempDir Path dir) throws Exception {
        Path lib = coreLibrary();
        Path rules = Files.writeString(dir.resolve("r.rules"), RULES);
        Path headers = Files.writeString(dir.resolve("h.trace"), HEADERS);
        Run r = run(new ClassifyCommand(), rules.toString(), "--headers", headers.toString(), "--engine", "native",
                "--lib", lib.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("3 packets, 0 mismatches"), r.out());
        Run wrong = run(new ClassifyCommand(), rules.toString(), "--headers",
                Files.writeString(dir.resolve("w.trace"), HEADERS.replace("\t6\t2\n", "\t6\t0\n")).toString(),
                "--engine", "native", "--lib", lib.toString());
        assertEquals(1, wrong.exit(), wrong.out() + wrong.err());
        assertTrue(wrong.out().contains("mismatch at line 2") && wrong.out().contains("3 packets, 1 mismatches"), wrong.out());
        Run plain = run(new ClassifyCommand(), rules.toString(), "--headers",
                Files.writeString(dir.resolve("p.trace"), "1\t3232235778\t2000\t53\t17\n").toString(),
                "--engine", "native", "--lib", lib.toString());
        assertEquals("1: udp 0.0.0.1:2000 -> 192.168.1.2:53 state new => accept by cb1", plain.out().strip());

        // A table the C verifier refuses: its error code and offset, exit 1.
        Path table = dir.resolve("t.bin");
        assertEquals(0, run(new CompileCommand(), rules.toString(), "-o", table.toString()).exit());
        byte[] b = Files.readAllBytes(table);
        b[b.length - 1] ^= 1;
        Files.write(table, b);
        Run bad = run(new ClassifyCommand(), table.toString(), "--headers", headers.toString(), "--engine", "native",
                "--lib", lib.toString());
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().contains("C core's verifier: table refused: checksum (code 5) at byte offset 12"), bad.err());

        // No library: say so and how to build it.
        Run missing = run(new ClassifyCommand(), rules.toString(), "--headers", headers.toString(), "--engine", "native",
                "--lib", dir.resolve("nope.so").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.so does not exist"), missing.err());
        assertTrue(missing.err().contains("make -C engine-kmod/core"), missing.err());
    }

    @Test
    void importWritesAPolicyInFileOrder(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("r.rules"), RULES);
        Run r = run(new ImportCommand(), "classbench", rules.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chain forward policy drop {"), r.out());
        assertTrue(r.out().contains("rule cb0: from 10.0.0.0/8 to 192.168.1.1/32 proto tcp dport 80 accept"), r.out());
        assertTrue(r.out().contains("rule cb1: from 0.0.0.0/0 to 192.168.1.0/24 proto udp sport 1024-65535 accept"), r.out());
        Run bad = run(new ImportCommand(), "iptables", rules.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("supported formats: classbench"), bad.err());
    }

    @Test
    void badInputsGiveClearErrors(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("r.rules"), "@10.0.0.0/8\t1.2.3.4/99\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0000\n");
        Run c = run(new CompileCommand(), rules.toString(), "-o", dir.resolve("x.bin").toString());
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("r.rules:1:"), c.err());
        Path table = dir.resolve("t.bin");
        Files.writeString(dir.resolve("ok.rules"), RULES);
        assertEquals(0, run(new CompileCommand(), dir.resolve("ok.rules").toString(), "-o", table.toString()).exit());
        byte[] b = Files.readAllBytes(table);
        b[b.length - 1] ^= 1;
        Files.write(table, b);
        Run i = run(new InspectCommand(), table.toString());
        assertEquals(1, i.exit());
        assertTrue(i.err().contains("checksum (code 5) at byte offset 12"), i.err());
        Path policy = Files.writeString(dir.resolve("p.rampart"), "chain input policy drop {\n  rule a: from lna accept\n}\n");
        Run p = run(new CompileCommand(), policy.toString(), "-o", table.toString());
        assertEquals(1, p.exit());
        assertTrue(p.err().contains("p.rampart:2:16: error[unknown-name]"), p.err());
        Run u = run(new ClassifyCommand(), dir.resolve("ok.rules").toString());
        assertEquals(2, u.exit(), "missing --headers is a usage error");
    }

    @Test
    void policyFilesCompileAndEveryEngineAgreesOnTheOfficeExample(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("office.bin");
        Run c = run(new CompileCommand(), "../examples/office.rampart", "-o", table.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("19 rules in 3 chains"), c.out());
        Run i = run(new InspectCommand(), table.toString());
        assertEquals(0, i.exit(), i.err());
        assertTrue(i.out().contains("chain forward policy drop"), i.out());
    }
}
