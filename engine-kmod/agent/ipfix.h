/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IPFIX (RFC 7011) export of flow records over UDP. One message stream is built and sent, the same
 * bytes, to every configured collector; sends are non-blocking and a failed send is counted and
 * logged, never retried and never fatal (the flow log on the box and the desktop stays the record
 * of truth). Elements, template ids and the enterprise elements: docs/telemetry.md#ipfix-export.
 */
#ifndef RAMPART_IPFIX_H
#define RAMPART_IPFIX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "box.h"

#define IPFIX_VERSION 10
#define IPFIX_SET_TEMPLATE 2
#define IPFIX_TEMPLATE_V4 256
#define IPFIX_TEMPLATE_V6 257
/* IANA PEN 32473 is reserved for documentation and examples (RFC 5612). Rampart has no private
 * enterprise number of its own yet; its elements live under this one until it registers one, so a
 * collector never mistakes them for another vendor's. */
#define IPFIX_PEN 32473
#define IPFIX_E_RULE_ID 1          /* unsigned32: stable rule id, 0 when a chain policy decided */
#define IPFIX_E_GENERATION 2       /* unsigned64: generation of the table that decided */
#define IPFIX_E_HOOK 3             /* unsigned8: 0 input, 1 forward, 2 output */

#define IPFIX_HEADER_LEN 16
/* An Ethernet frame's 1500 bytes minus IPv4 and UDP headers; lowered further to what the kernel
 * reports as the path MTU towards a collector (IP_MTU / IPV6_MTU on the connected socket). */
#define IPFIX_MAX_MESSAGE 1472
#define IPFIX_MIN_MESSAGE 512
#define IPFIX_MAX_COLLECTORS 8
#define IPFIX_FLUSH_MS 1000        /* a record waits at most this long for companions */
#define IPFIX_DEFAULT_REFRESH_S 60
#define IPFIX_RECOVERED_MS 10000   /* sends without an error before a failing collector counts as back */

/* Builds one message in a caller's buffer: header, optional template set, data sets. */
struct ipfix_msg {
	uint8_t *p;
	size_t cap, len;
	size_t set_start;          /* offset of the open data set's header, 0 when none is open */
	uint16_t set_id;
	uint32_t records;
};

void ipfix_msg_begin(struct ipfix_msg *m, uint8_t *buf, size_t cap, uint32_t export_time_s,
		     uint32_t seq, uint32_t domain, int with_templates);
/* Appends r; -1 (message unchanged) when it would not fit in cap. */
int ipfix_msg_add(struct ipfix_msg *m, const struct record *r);
/* Closes the open set and writes the message length; returns the message's length. */
size_t ipfix_msg_finish(struct ipfix_msg *m);
/* RFC 7270 forwardingStatus for a verdict taken at a hook (the mapping is explained in ipfix.c). */
uint8_t ipfix_forwarding_status(uint8_t hook, uint8_t verdict);

struct ipfix_collector {
	char name[280];            /* HOST:PORT as configured */
	int fd;                    /* connected, non-blocking UDP socket */
	size_t max_msg;            /* from this path's MTU */
	uint64_t messages, send_errors, refused;
	int last_errno;
	int failing;               /* last send failed: a recovery is logged */
	uint64_t last_log_ms, last_error_ms;
};

struct ipfix {
	struct ipfix_collector col[IPFIX_MAX_COLLECTORS];
	int ncol;
	uint32_t domain;           /* observation domain id */
	uint32_t seq;              /* data records in all earlier messages, modulo 2^32 */
	uint64_t refresh_ms, next_templates_ms;
	size_t max_msg;            /* smallest over the collectors; tests may lower it */
	uint8_t buf[IPFIX_MAX_MESSAGE];
	struct ipfix_msg msg;
	int open;                  /* msg holds a message not yet sent */
	uint64_t open_ms;          /* when its first record was added */
	uint64_t records, messages, template_sends;
	FILE *dump;                /* --ipfix-dump: one line per exported record, for tests */
	void (*log)(const char *fmt, ...);
};

void ipfix_init(struct ipfix *x, uint32_t domain, unsigned refresh_s, void (*log)(const char *, ...));
/* Parses HOST:PORT or [V6]:PORT, resolves it once and opens a connected socket to it. */
int ipfix_add_collector(struct ipfix *x, const char *spec, char *err, size_t errlen);
/* Queues r for every collector; sends a message as soon as it is full. */
void ipfix_export(struct ipfix *x, const struct record *r, uint64_t now_ms, uint64_t wall_ms);
/* From the main loop: sends a message whose oldest record waited IPFIX_FLUSH_MS, and the
 * templates when their refresh is due. */
void ipfix_tick(struct ipfix *x, uint64_t now_ms, uint64_t wall_ms);
/* Sends whatever is queued now. */
void ipfix_flush(struct ipfix *x, uint64_t now_ms, uint64_t wall_ms);
/* One line for `status`: collectors, records, messages, errors. */
void ipfix_status(const struct ipfix *x, char *buf, size_t n);
void ipfix_close(struct ipfix *x, uint64_t now_ms, uint64_t wall_ms);

#endif
