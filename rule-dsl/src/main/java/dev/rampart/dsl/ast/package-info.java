// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The syntax tree: immutable records, every node with its source span, nothing resolved yet.
 * Names, literals and ports are kept as the words the user wrote ({@link dev.rampart.dsl.ast.Operand.Word});
 * giving them meaning (address, zone, port range, ...) is the checker's job, so the parser stays
 * small and the formatter can print back exactly what was written.
 */
package dev.rampart.dsl.ast;
