// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import dev.rampart.dsl.source.Span;

/**
 * A set whose elements arrive at run time (the IPS adds blocks).
 *
 * @param family         which addresses it may hold: {@link Field#V4}, {@link Field#V6} or both
 * @param capacity       maximum number of elements; adding beyond it is an error, not an eviction
 * @param timeoutSeconds how long an element lives unless refreshed; 0 = until removed
 */
public record DynSet(String name, IntervalSet family, long capacity, long timeoutSeconds, Span span) {}
