// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static Diagnostic only(Result<?> r, String code) {
        List<Diagnostic> ds = r.diagnostics().all().stream().filter(d -> d.code().equals(code)).toList();
        assertEquals(1, ds.size(), DiagnosticRenderer.renderAll(r.diagnostics()));
        return ds.get(0);
    }

    @Test
    void includesAreRelativeToTheIncludingFile() throws IOException {
        write("sub/objects.rampart", "net lan = 10.0.0.0/8\n");
        Path root = write("sub/main.rampart", "include \"objects.rampart\"\nchain input policy drop { rule a: from lan accept }\n");
        Pipeline.Compiled c = Pipeline.run(root);
        assertTrue(c.ok(), DiagnosticRenderer.renderAll(c.diagnostics()));
        assertEquals(2, c.files().size());
    }

    @Test
    void cycleIsReportedAtTheIncludeWithTheWholeCycle() throws IOException {
        write("b.rampart", "include \"a.rampart\"\n");
        Path a = write("a.rampart", "net x = 10.0.0.0/8\ninclude \"b.rampart\"\n");
        Result<List<PolicyFile>> r = SourceLoader.load(a, Parser::parse);
        Diagnostic d = only(r, "include-cycle");
        String pa = a.toString(), pb = dir.resolve("b.rampart").toString();
        assertEquals("include cycle: " + pa + " -> " + pb + " -> " + pa, d.message());
        assertTrue(d.span().file().name().endsWith("b.rampart"));
        assertEquals(1, d.span().line());
        assertEquals(1, d.span().column());
    }

    @Test
    void missingFileIsAnErrorAtTheInclude() throws IOException {
        Path a = write("a.rampart", "\n  include \"nope.rampart\"\n");
        Diagnostic d = only(SourceLoader.load(a, Parser::parse), "file-not-found");
        assertEquals(2, d.span().line());
        assertEquals(3, d.span().column());
        assertTrue(d.message().contains("nope.rampart"));
    }

    @Test
    void sameFileThroughTwoPathsIsLoadedOnce() throws IOException {
        write("common/objs.rampart", "net lan = 10.0.0.0/8\n");
        write("x/one.rampart", "include \"../common/objs.rampart\"\n");
        Path root = write("main.rampart", "include \"common/objs.rampart\"\ninclude \"x/one.rampart\"\ninclude \"./common/../common/objs.rampart\"\n");
        Result<List<PolicyFile>> r = SourceLoader.load(root, Parser::parse);
        assertFalse(r.diagnostics().hasErrors(), DiagnosticRenderer.renderAll(r.diagnostics()));
        assertEquals(3, r.value().size());
        // Loaded once, so its net is not a duplicate of itself.
        assertTrue(Pipeline.run(root).diagnostics().all().stream().noneMatch(d -> d.code().equals("duplicate-name")));
    }

    @Test
    void oversizedFileIsRefused() throws IOException {
        Path big = dir.resolve("big.rampart");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(SourceLoader.MAX_BYTES + 1); // sparse: costs no disk
        }
        Path root = write("main.rampart", "include \"big.rampart\"\n");
        Diagnostic d = only(SourceLoader.load(root, Parser::parse), "file-too-large");
        assertTrue(d.message().contains("64 MB"), d.message());
    }

    @Test
    void unreadableFileIsReported() throws IOException {
        Path secret = write("secret.rampart", "net a = 10.0.0.0/8\n");
        Path root = write("main.rampart", "include \"secret.rampart\"\n");
        if (!secret.toFile().setReadable(false, false) || Files.isReadable(secret)) return; // root reads anything
        only(SourceLoader.load(root, Parser::parse), "file-unreadable");
    }

    @Test
    void badBytesAreDecodedWithReplacementAndReportedByTheParser() throws IOException {
        Path p = dir.resolve("bad.rampart");
        byte[] head = "net l\u00e4n = 10.0.0.0/8\nnet x".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 12];
        System.arraycopy(head, 0, bytes, 0, head.length);
        byte[] tail = {(byte) 0xff, (byte) 0xfe, ' ', '=', ' ', '1', '0', '.', '0', '.', '0', '.'};
        System.arraycopy(tail, 0, bytes, head.length, tail.length);
        Files.write(p, bytes);
        Result<List<PolicyFile>> r = SourceLoader.load(p, Parser::parse);
        assertEquals(1, r.value().size());
        assertTrue(r.value().get(0).source().text().contains("\ufffd"));
        assertTrue(r.diagnostics().hasErrors());
    }

    @Test
    void missingRootFile() {
        Diagnostic d = only(SourceLoader.load(dir.resolve("none.rampart"), Parser::parse), "file-not-found");
        assertTrue(d.message().contains("none.rampart"));
    }
}
