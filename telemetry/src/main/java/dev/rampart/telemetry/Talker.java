// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

/** A source address and what it sent in a time window. */
public record Talker(String address, long flows, long packets, long bytes) {}
