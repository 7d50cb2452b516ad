// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.classbench.RuleSetGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the compiled tables the C tests and the fuzzer start from (engine-kmod/core/tests/data):
 * {@code java -cp rule-dsl/target/classes:rule-dsl/target/test-classes dev.rampart.dsl.table.WriteFixtures engine-kmod/core/tests/data}.
 */
public final class WriteFixtures {
    private WriteFixtures() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "engine-kmod/core/tests/data");
        Files.createDirectories(dir);
        Files.write(dir.resolve("fuzz-every-field.bin"), TableCompiler.compile(new PolicyFuzz(11, 80).policy));
        Files.write(dir.resolve("fuzz-deep.bin"), TableCompiler.compile(new PolicyFuzz(12, 200).policy,
                new TableCompiler.Options(1, 16, 64, 64, true, true)));
        Files.write(dir.resolve("acl-300.bin"), TableCompiler.compile(
                RuleSetGenerator.rules(RuleSetGenerator.Kind.ACL, false, 300, 5)));
        Files.write(dir.resolve("fw-300-v6.bin"), TableCompiler.compile(
                RuleSetGenerator.rules(RuleSetGenerator.Kind.FW, true, 300, 6)));
    }
}
