// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Running real captures through a policy: reading pcap and pcapng files as a stream
 * ({@link dev.rampart.dsl.capture.CaptureReader}), decoding frames to the classification key
 * ({@link dev.rampart.dsl.capture.PacketDecoder}), defragmenting as the kernel does before its
 * filter hooks ({@link dev.rampart.dsl.capture.Reassembler}), tracking connection state as
 * nf_conntrack would ({@link dev.rampart.dsl.capture.ConnTracker}), and putting it together
 * ({@link dev.rampart.dsl.capture.Tracer}). docs/trace.md describes the model and its limits.
 */
package dev.rampart.dsl.capture;
