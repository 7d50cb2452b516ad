/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The box state rampartd owns: the running table, the last confirmed one and the one before it,
 * the confirm deadline, per-rule counters, recent flow records, and the persisted confirmed table.
 * The simulation backend classifies generated traffic with the userspace C core.
 */
#ifndef RAMPART_BOX_H
#define RAMPART_BOX_H

#include <stddef.h>
#include <stdint.h>

#include "../core/rampart_core.h"
#include "ifcache.h"

struct rule_counter {
	uint64_t packets, bytes, last_hit_ms;
};

struct table {
	uint8_t *blob;
	size_t len;
	struct rampart_table t;
	uint64_t generation;
	struct rule_counter *ctr;   /* one per rule index */
	struct rule_counter policy_ctr[3]; /* packets decided by each hook's chain policy */
};

struct record {
	uint64_t seq, time_ms, generation;
	uint8_t hook, verdict, proto, v4;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t rule_id;
	/* Flow counters, appended for IPFIX export (new fields go last: other code writes this
	 * struct as is). The simulator fills them for its one-packet records; kernel flow
	 * aggregation fills them per flow. */
	uint64_t packets, bytes;
	uint64_t first_ms, last_ms; /* unix ms of the first and last packet */
	uint32_t in_if, out_if;     /* interface index, 0 when unknown or none */
	uint16_t tcp_flags;         /* OR of the TCP flags seen (0 for other protocols) */
	/* Interface names as the packet path saw them, NUL-terminated; "" when none or not known
	 * (records spooled before names were kept). */
	char in_name[16], out_name[16];
};

#define BOX_RECORDS 1024

enum box_state { BOX_EMPTY = 0, BOX_CONFIRMED = 1, BOX_PROBATION = 2 };

struct rnl;
struct ipfix;
struct spool;

/* Kernel flow log as the agent received it (uapi "Flow log"), counted since the agent started. */
struct box_flow_stats {
	uint64_t records;           /* records received and passed to box_add_record */
	uint64_t exports;           /* ENDs received */
	uint64_t lost[4];           /* sums of the ENDs' FLOW_LOST, enum rampart_flow_lost order */
	uint64_t overruns;          /* ENOBUFS on the socket: the kernel counts the records in SEND_FAILED */
	uint64_t short_exports;     /* ENDs announcing more records than arrived with their number */
	uint64_t malformed;         /* messages the parser refused */
};

struct box {
	struct table *running, *confirmed, *previous;
	struct rnl *nl;             /* kernel backend: the module does the classifying and the revert */
	uint64_t deadline_ms;       /* monotonic; valid on probation */
	char state_dir[512];
	struct record rec[BOX_RECORDS];
	uint64_t rec_seq;           /* records produced since start: the ring's write index */
	uint64_t started_ms;
	uint64_t rng;
	unsigned rate;              /* generated packets per second */
	uint64_t gen_ms;            /* last generator run */
	char last_event[200];       /* shown by status: last revert, load, restore */
	struct ipfix *ipfix;        /* every new record is exported here when set (--ipfix) */
	struct spool *spool;        /* where every record goes (spool.h); NULL: recent ring only */
	struct rnl *flows;          /* kernel backend: subscribed to the flow log (a socket of its own) */
	struct box_flow_stats fl;
	uint64_t fl_export;         /* number of the export being received, and its records so far */
	uint32_t fl_export_records;
	char flow_note[200];        /* set when something worth logging happened in box_flows_read */
	struct ifcache ifc;         /* kernel backend: the namespace's interfaces, for the indexes */
};

int box_init(struct box *b, const char *state_dir, unsigned rate, uint64_t now_ms);
/* Switches to the kernel backend (generic netlink to rampart.ko); 0, or -1 with err. */
int box_use_kernel(struct box *b, char *err, size_t errlen);
/* Kernel backend: the flow-log socket to poll (-1 without one), and reading what it holds: every
 * record goes to box_add_record. Returns the records taken; flow_note says what to log. */
/* Kernel backend: subscribes to the module's flow log; -1 with flow_note saying why not. Only an
 * agent that reads the socket may subscribe: the module counts what it multicasts as delivered. */
int box_flows_subscribe(struct box *b);
int box_flows_fd(const struct box *b);
int box_flows_read(struct box *b);
/* Kernel backend: copies the module's per-rule counters into the running table's. */
void box_refresh_counters(struct box *b);
/* Loads the persisted confirmed table; 0 when none, 1 loaded, -1 refused (message in err). */
int box_restore(struct box *b, char *err, size_t errlen);
/* Verifies and swaps in blob (owned by the box afterwards, even on failure); -1 refused, -2 busy:
 * a table already awaits confirmation. */
int box_load(struct box *b, uint8_t *blob, size_t len, uint32_t confirm_s, uint64_t now_ms,
	     char *err, size_t errlen);
int box_confirm(struct box *b, uint64_t generation, char *err, size_t errlen);
int box_rollback(struct box *b, char *err, size_t errlen);
enum box_state box_state(const struct box *b);
/* Runs the traffic generator up to now and reverts an expired probation; returns 1 on revert. */
int box_tick(struct box *b, uint64_t now_ms, uint64_t wall_ms);
uint32_t box_rule_count(const struct table *t);
uint32_t box_rule_id(const struct table *t, uint32_t index);
/* The rule's name from the names section, or NULL for an unnamed rule. */
const char *box_rule_name(const struct table *t, uint32_t index, char *buf, size_t buflen);
void box_free(struct box *b);
/*
 * Every producer of flow records calls this: it numbers r (r->seq), appends it to the spool and
 * to the ring `tail` shows. Returns spool_append's result (0 stored, 1 lost: spool full, -1 lost:
 * write error).
 */
int box_add_record(struct box *b, struct record *r);

uint64_t mono_ms(void);
/* now - then, or 0 when then was read after now: clock readings cross within one loop turn. */
static inline uint64_t since(uint64_t now, uint64_t then) { return now > then ? now - then : 0; }
uint64_t wall_ms(void);

#endif
