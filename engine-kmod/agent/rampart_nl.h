/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A small client of the "rampart" generic netlink family (include/uapi/linux/rampart.h), plain
 * sockets and libc only, so it links statically. rampartctl is a thin command line over it and
 * the box agent uses it the same way. Every function returns 0 or a negative errno; after an
 * error, rnl.err_msg holds the kernel's extended-ACK message (or is empty).
 */
#ifndef RAMPART_NL_H
#define RAMPART_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "../include/uapi/linux/rampart.h"

struct rnl {
	int fd;
	uint16_t family;
	uint32_t seq;
	char err_msg[256];
	int err_attr;               /* attribute type the kernel pointed at, 0 if none */
	int verify_code;            /* from a refused LOAD_COMMIT, else 0 */
	uint32_t verify_offset;
	int dump_interrupted;       /* a dump saw NLM_F_DUMP_INTR */
	uint32_t flows_group;       /* the "flows" multicast group's id, 0 if the module has none */
};

/* A request under construction: the netlink and genetlink headers, then attributes. */
struct rnl_msg {
	uint8_t *buf;
	size_t len, cap;
};

/* tb[type] points at each attribute of one reply message (NULL when absent). */
typedef int (*rnl_reply_cb)(void *arg, struct nlattr *const *tb);

struct rnl_status {
	int has_table;
	uint64_t generation, prev_generation, last_reverted, memory, malformed, failures;
	int has_prev, confirm_pending;
	uint32_t load_seq, rules, confirm_left_ms, reverts;
	int enabled, fail_closed;
};

struct rnl_counter {
	uint64_t generation;
	uint32_t load_seq;
	int is_policy;              /* then hook is set, rule_id/rule_index are not */
	uint32_t rule_id, rule_index, hook;
	uint64_t packets, bytes;
	int64_t last_hit_ms;        /* -1 never */
};

struct rnl_raw_result {
	int malformed;
	uint32_t verdict, rule_index, rule_id, reject_kind;
	struct rampart_test_key key;
};

int rnl_open(struct rnl *nl);
void rnl_close(struct rnl *nl);

/* Low level, for requests the helpers below do not cover (and for tests of bad requests). */
int rnl_msg_init(struct rnl_msg *m, struct rnl *nl, uint8_t cmd, uint16_t flags);
int rnl_put(struct rnl_msg *m, uint16_t type, const void *data, size_t len);
int rnl_put_u8(struct rnl_msg *m, uint16_t type, uint8_t v);
int rnl_put_u32(struct rnl_msg *m, uint16_t type, uint32_t v);
int rnl_put_str(struct rnl_msg *m, uint16_t type, const char *s);
void rnl_msg_free(struct rnl_msg *m);
/* Sends m (freed), calls cb for every reply message, returns the kernel's answer. */
int rnl_transact(struct rnl *nl, struct rnl_msg *m, rnl_reply_cb cb, void *arg);

int rnl_load(struct rnl *nl, const uint8_t *blob, size_t len, uint32_t confirm_secs,
	     uint32_t flags, struct rnl_status *st);
int rnl_confirm(struct rnl *nl);
int rnl_rollback(struct rnl *nl);
int rnl_status(struct rnl *nl, struct rnl_status *st);
int rnl_counters(struct rnl *nl, int (*cb)(void *arg, const struct rnl_counter *c), void *arg);
/* timeout_secs < 0: the set's declared timeout. */
int rnl_set_add(struct rnl *nl, const char *set, const uint8_t addr[16], long timeout_secs);
int rnl_set_del(struct rnl *nl, const char *set, const uint8_t addr[16]);
int rnl_set_list(struct rnl *nl, const char *set,
		 int (*cb)(void *arg, const uint8_t addr[16], int64_t expires_ms), void *arg);
/* n <= RAMPART_TEST_BATCH_MAX. */
int rnl_test_keys(struct rnl *nl, const struct rampart_test_key *keys, size_t n,
		  struct rampart_test_result *out);
int rnl_test_raw(struct rnl *nl, uint32_t hook, const uint8_t *pkt, size_t len, const char *iif,
		 const char *oif, int state, struct rnl_raw_result *out);
/* -1 leaves a switch unchanged. */
int rnl_config(struct rnl *nl, int enabled, int fail_closed);

/* "10.0.0.1" or "2001:db8::1" to 16 bytes, IPv4 as ::ffff:a.b.c.d; 0 or -1. */
int rnl_parse_addr(const char *s, uint8_t out[16]);
void rnl_format_addr(const uint8_t a[16], char *buf, size_t n);

/*
 * Flow log (uapi "Flow log"). Subscribe on an rnl of its own: rnl_transact skips messages that
 * are not answers to its request, so a socket that also sends requests would lose records.
 *
 *   struct rnl sub, cmd;
 *   rnl_open(&sub); rnl_flows_subscribe(&sub);
 *   rnl_open(&cmd); rnl_flows_flush(&cmd, &seq, NULL);      (optional: export now)
 *   while (...) rnl_flows_read(&sub, &handler, timeout_ms); (or poll sub.fd, then read)
 *
 * handler.record gets every record with the number of its export; handler.end gets the END of
 * each export (its record count, reason and the loss counters since the last delivered END).
 * A subscriber that saw every message of an export got exactly end->records records with that
 * number; sum end->lost over the exports for what never arrived.
 */
struct rnl_flow_end {
	uint64_t export_seq;
	uint32_t records;           /* records of the whole export */
	uint32_t reason;            /* enum rampart_flow_reason */
	uint64_t lost[RAMPART_FLOW_LOST_MAX]; /* enum rampart_flow_lost */
};

struct rnl_flow_handler {
	/* A non-zero return stops the read and is returned by it. */
	int (*record)(void *arg, uint64_t export_seq, const struct rampart_flow_record *r);
	int (*end)(void *arg, const struct rnl_flow_end *e);
	void *arg;
};

/* Joins the "flows" multicast group of the caller's namespace (needs CAP_NET_ADMIN). */
int rnl_flows_subscribe(struct rnl *nl);
/*
 * Waits up to timeout_ms (-1 forever) for flow messages and hands every one received in one
 * recv to h. Returns the number of messages handled, 0 on timeout, -ENOBUFS when the socket
 * overflowed (the kernel counts the undelivered records in a later END's SEND_FAILED), -EPROTO
 * for a malformed message, or the handler's non-zero return.
 */
int rnl_flows_read(struct rnl *nl, const struct rnl_flow_handler *h, int timeout_ms);
/* The same for a buffer the caller read from nl->fd itself (len bytes of netlink messages). */
int rnl_flows_parse(struct rnl *nl, const void *buf, size_t len, const struct rnl_flow_handler *h);
/* Exports the namespace's flow log now; the export's number and record count (may be NULL). */
int rnl_flows_flush(struct rnl *nl, uint64_t *export_seq, uint32_t *records);

#endif
