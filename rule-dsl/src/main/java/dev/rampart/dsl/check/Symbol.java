// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.source.Span;

/** One declared object: its kind, the declaration, and the span of its name for diagnostics. */
public record Symbol(String name, SymbolKind kind, Decl decl, Span nameSpan) {}
