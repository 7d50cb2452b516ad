// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.source.Span;

/** {@code expect accept by lan-web}; rule is null when any rule may decide, or the word {@code policy}. */
public record Expect(Span span, Word verdict, Word rule) {}
