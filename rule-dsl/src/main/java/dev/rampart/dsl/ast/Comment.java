// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.source.Span;

/** {@code # text} up to the end of the line; kept so the formatter can put it back. text excludes the '#'. */
public record Comment(Span span, String text) {}
