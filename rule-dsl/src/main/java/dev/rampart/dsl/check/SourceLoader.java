// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a policy file and everything it includes, each file parsed once. Includes are resolved
 * relative to the including file; a file reached by two paths (symlinks, {@code ../x}) is loaded
 * once, identified by its real path. Cycles are reported at the include that closes them.
 */
public final class SourceLoader {
    /** Policies are small; a file this big is a mistake (a log, a dump) and would only waste memory. */
    public static final long MAX_BYTES = 64L << 20;
    private static final int MAX_DEPTH = 64;

    private final Function<SourceFile, Result<PolicyFile>> parser;
    private final Diagnostics diags = new Diagnostics();
    private final List<PolicyFile> files = new ArrayList<>();
    private final Map<Path, Boolean> seen = new HashMap<>();
    /** Real paths of the files being loaded, outermost first: a hit here is a cycle. */
    private final LinkedHashSet<Path> stack = new LinkedHashSet<>();
    private final Map<Path, String> displayNames = new HashMap<>();

    private SourceLoader(Function<SourceFile, Result<PolicyFile>> parser) { this.parser = parser; }

    /** Loads {@code file} and its includes; the value is every parsed file, the root first. */
    public static Result<List<PolicyFile>> load(Path file, Function<SourceFile, Result<PolicyFile>> parser) {
        SourceLoader l = new SourceLoader(parser);
        SourceFile placeholder = new SourceFile(file.toString(), "");
        l.loadPath(file, file.toString(), Span.of(placeholder, 0, 0), 0);
        return new Result<>(List.copyOf(l.files), l.diags);
    }

    /** Loads an in-memory root; its includes are resolved relative to {@code baseDir}. */
    public static Result<List<PolicyFile>> load(SourceFile root, Path baseDir, Function<SourceFile, Result<PolicyFile>> parser) {
        SourceLoader l = new SourceLoader(parser);
        l.parseAndFollow(root, baseDir, 0);
        return new Result<>(List.copyOf(l.files), l.diags);
    }

    private void loadPath(Path path, String displayName, Span includeSite, int depth) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            diags.error(includeSite, "file-not-found", "cannot find '" + displayName + "'");
            return;
        } catch (IOException | SecurityException e) {
            diags.error(includeSite, "file-unreadable", "cannot read '" + displayName + "': " + reason(e));
            return;
        }
        if (stack.contains(real)) {
            StringBuilder cycle = new StringBuilder();
            boolean in = false;
            for (Path p : stack) {
                if (p.equals(real)) in = true;
                if (in) cycle.append(displayNames.get(p)).append(" -> ");
            }
            cycle.append(displayNames.get(real));
            diags.error(includeSite, "include-cycle", "include cycle: " + cycle);
            return;
        }
        if (seen.containsKey(real)) return;
        seen.put(real, true);
        displayNames.put(real, displayName);
        if (depth > MAX_DEPTH) {
            diags.error(includeSite, "include-too-deep", "includes nest more than " + MAX_DEPTH + " levels deep");
            return;
        }
        String text;
        try {
            if (!Files.isRegularFile(real)) {
                diags.error(includeSite, "file-unreadable", "cannot read '" + displayName + "': not a regular file");
                return;
            }
            long size = Files.size(real);
            if (size > MAX_BYTES) {
                diags.error(includeSite, "file-too-large", "'" + displayName + "' is " + (size >> 20)
                        + " MB; policy files are limited to " + (MAX_BYTES >> 20) + " MB");
                return;
            }
            text = decode(Files.readAllBytes(real));
        } catch (IOException | SecurityException e) {
            diags.error(includeSite, "file-unreadable", "cannot read '" + displayName + "': " + reason(e));
            return;
        }
        stack.add(real);
        Path dir = path.toAbsolutePath().getParent();
        parseAndFollow(new SourceFile(displayName, text), dir, depth);
        stack.remove(real);
    }

    private void parseAndFollow(SourceFile src, Path dir, int depth) {
        Result<PolicyFile> parsed = parser.apply(src);
        diags.addAll(parsed.diagnostics());
        PolicyFile pf = parsed.value();
        if (pf == null) return;
        files.add(pf);
        for (Decl d : pf.decls()) {
            if (!(d instanceof Decl.Include inc)) continue;
            String rel = inc.path().value();
            if (rel.isEmpty() || rel.indexOf('\0') >= 0) {
                diags.error(inc.path().span(), "file-not-found", "include needs a file name");
                continue;
            }
            Path target;
            try {
                target = dir == null ? Path.of(rel) : dir.resolve(rel);
            } catch (java.nio.file.InvalidPathException e) {
                diags.error(inc.path().span(), "file-not-found", "'" + rel + "' is not a valid path");
                continue;
            }
            loadPath(target, displayName(src, rel), inc.span(), depth + 1);
        }
    }

    /** The included file named as the user would: next to the including file's shown name. */
    private static String displayName(SourceFile includer, String rel) {
        Path p = Path.of(rel);
        if (p.isAbsolute()) return rel;
        Path parent = Path.of(includer.name()).getParent();
        return parent == null ? p.normalize().toString() : parent.resolve(p).normalize().toString();
    }

    /** Bad bytes become U+FFFD so the parser can point at them instead of the loader giving up. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("replacing decoder reported an error", e);
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : m == null ? e.getClass().getSimpleName() : m;
    }
}
