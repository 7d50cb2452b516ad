// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import dev.rampart.dsl.source.Span;
import java.util.List;

/** The ordered rules of one hook and the verdict when none matches. Disabled rules are not here. */
public record IrChain(Hook hook, Verdict policy, List<IrRule> rules, Span span) {}
