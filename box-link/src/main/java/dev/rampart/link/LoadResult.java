// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

/**
 * The box's answer to a committed upload.
 *
 * @param confirmSeconds 0 when the table was confirmed at once; otherwise the deadline after which
 *                       the box reverts by itself unless confirmed
 * @param resumedFrom    bytes the box already held from an earlier, interrupted attempt
 */
public record LoadResult(long generation, int rules, int confirmSeconds, long compressedBytes, long rawBytes,
                         long resumedFrom, int reconnects) {}
