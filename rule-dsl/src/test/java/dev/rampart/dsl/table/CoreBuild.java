// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds a target of the C core (engine-kmod/core) with make for the tests that run it. The only
 * reason to skip is a machine without make or a C compiler (scripts/ensure-tools.sh installs both,
 * so CI always runs these tests); a failing build fails the test.
 */
final class CoreBuild {
    private CoreBuild() {}

    static final Path CORE = Path.of("..", "engine-kmod", "core").toAbsolutePath().normalize();

    static Path make(String target) throws Exception {
        assumeTrue(Files.isRegularFile(CORE.resolve("Makefile")), "engine-kmod/core not found");
        assumeTrue(onPath("make") && (onPath("gcc") || onPath("cc")), "make or a C compiler missing");
        Process p = new ProcessBuilder("make", "-s", "-C", CORE.toString(), target).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "building " + target + " failed:\n" + out);
        return CORE.resolve(target);
    }

    static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }
}
