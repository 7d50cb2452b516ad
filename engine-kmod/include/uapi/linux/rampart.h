/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * Rampart: the user/kernel API of rampart.ko, a generic netlink family named "rampart".
 *
 * Every command acts on the network namespace of the sending socket: each namespace has its own
 * table, previous table, upload, dynamic sets and counters. Every command needs CAP_NET_ADMIN in
 * that namespace's user namespace.
 *
 * Loading a table (docs/table-format.md) is three commands, so a table of megabytes never has to
 * fit in one message:
 *
 *   LOAD_BEGIN  { LOAD_SIZE }                 reserve the upload buffer (replaces an unfinished one)
 *   LOAD_CHUNK  { LOAD_OFFSET, LOAD_DATA }    in order: LOAD_OFFSET must equal the bytes received
 *   LOAD_COMMIT { [CONFIRM_TIMEOUT], [FLAGS] } verify, then swap in with one RCU pointer store
 *
 * A refused commit leaves the running table untouched, discards the upload, and answers with a
 * message carrying the verifier's code and the byte offset of the bad field (VERIFY_ERROR,
 * VERIFY_OFFSET) followed by the error (-EINVAL, the extended ACK naming the kind of fault). With CONFIRM_TIMEOUT the module itself swaps the previous table back unless CONFIRM
 * arrives within that many seconds; STATUS reports the revert (REVERTS, LAST_REVERTED).
 *
 * Unknown commands, attributes and flags are refused (-EOPNOTSUPP or -EINVAL), never ignored, and
 * errors name the offending attribute in the extended ACK.
 */
#ifndef _UAPI_LINUX_RAMPART_H
#define _UAPI_LINUX_RAMPART_H

#include <linux/types.h>

#define RAMPART_GENL_NAME "rampart"
#define RAMPART_GENL_VERSION 1

/* Bytes of one LOAD_CHUNK's data at most (an attribute's length is 16 bits). */
#define RAMPART_CHUNK_MAX 32768
/* Size limit of a table accepted by LOAD_BEGIN. */
#define RAMPART_TABLE_MAX (256u << 20)
/* Longest confirm deadline, seconds. */
#define RAMPART_CONFIRM_MAX 86400
/* Keys per TEST_PACKET batch at most. */
#define RAMPART_TEST_BATCH_MAX 256
/* Elements of one dynamic set at most (its declared capacity may not exceed it). */
#define RAMPART_SET_CAPACITY_MAX (1u << 20)

enum rampart_cmd {
	RAMPART_CMD_UNSPEC,
	/* LOAD_SIZE: start an upload of that many bytes. */
	RAMPART_CMD_LOAD_BEGIN,
	/* LOAD_OFFSET, LOAD_DATA: the next piece of the upload. */
	RAMPART_CMD_LOAD_CHUNK,
	/*
	 * [CONFIRM_TIMEOUT], [FLAGS]: verify the complete upload and make it the running table; the
	 * running one becomes the previous table. Refused with -EBUSY while an earlier load still
	 * waits for its confirmation. Replies with the STATUS attributes.
	 */
	RAMPART_CMD_LOAD_COMMIT,
	/* No attributes: keep the table loaded with a deadline. -ENOENT when none waits. */
	RAMPART_CMD_CONFIRM,
	/* No attributes: swap the previous table back in now. -ENOENT when there is none. */
	RAMPART_CMD_ROLLBACK,
	/* No attributes; replies with GENERATION, LOAD_SEQ, RULES, ... (see the attributes). */
	RAMPART_CMD_STATUS,
	/*
	 * Dump: one message per rule of the running table (RULE_ID, RULE_INDEX, PACKETS, BYTES,
	 * LAST_HIT), then one per hook whose policy decided packets (HOOK, PACKETS, BYTES, LAST_HIT,
	 * no RULE_ID). Every message carries GENERATION and LOAD_SEQ, so counters are never mixed
	 * across tables: a swap during the dump ends it with NLM_F_DUMP_INTR.
	 */
	RAMPART_CMD_COUNTERS,
	/* SET_NAME, SET_ADDR, [SET_TIMEOUT]: add or refresh an element; -ENOSPC when full. */
	RAMPART_CMD_SET_ADD,
	/* SET_NAME, SET_ADDR: remove an element; -ENOENT when absent. */
	RAMPART_CMD_SET_DEL,
	/* Dump, SET_NAME: one message per live element (SET_ADDR, SET_EXPIRES). */
	RAMPART_CMD_SET_LIST,
	/*
	 * Classify against the running table without a packet. Either TEST_KEYS (a batch of keys,
	 * reply TEST_RESULTS) or HOOK with TEST_RAW (an IP packet, parsed by the same code as the
	 * hooks; [TEST_IIF], [TEST_OIF], [TEST_STATE]), reply VERDICT, RULE_INDEX, RULE_ID,
	 * REJECT_KIND, TEST_KEYS (the extracted key) or MALFORMED.
	 */
	RAMPART_CMD_TEST_PACKET,
	/* [ENABLED], [FAIL_CLOSED]: module-wide switches, also in /sys/kernel/rampart/. */
	RAMPART_CMD_CONFIG,
	/*
	 * Flow log export, never a request (-EOPNOTSUPP): the messages of the multicast group
	 * RAMPART_GENL_MCGRP_FLOWS, see "Flow log" below.
	 */
	RAMPART_CMD_FLOWS,
	/*
	 * No attributes: export the namespace's flow log now (records, then the END message) and
	 * reply with FLOW_EXPORT (that export's number) and FLOW_END (its record count) once every
	 * message of it has been multicast. -ENOENT when no table was ever loaded in the namespace.
	 */
	RAMPART_CMD_FLOW_FLUSH,
	__RAMPART_CMD_MAX
};
#define RAMPART_CMD_MAX (__RAMPART_CMD_MAX - 1)

enum rampart_attr {
	RAMPART_A_UNSPEC,
	RAMPART_A_LOAD_SIZE,        /* u32: total bytes of the table, 1 .. RAMPART_TABLE_MAX */
	RAMPART_A_LOAD_OFFSET,      /* u32: where LOAD_DATA goes; must equal the bytes received */
	RAMPART_A_LOAD_DATA,        /* binary: 1 .. RAMPART_CHUNK_MAX bytes of the table */
	RAMPART_A_CONFIRM_TIMEOUT,  /* u32: seconds, 1 .. RAMPART_CONFIRM_MAX */
	RAMPART_A_FLAGS,            /* u32: RAMPART_F_* */
	RAMPART_A_VERIFY_ERROR,     /* u32: enum rampart_error of the C core (reply to LOAD_COMMIT) */
	RAMPART_A_VERIFY_OFFSET,    /* u32: byte offset of the field the verifier refused */
	RAMPART_A_GENERATION,       /* u64: the running table's policy hash (header bytes 16..23) */
	RAMPART_A_LOAD_SEQ,         /* u32: counts successful swaps in this namespace, from 1 */
	RAMPART_A_RULES,            /* u32: rules in the running table */
	RAMPART_A_MEMORY,           /* u64: bytes the module holds, all namespaces */
	RAMPART_A_PREV_GENERATION,  /* u64: the previous table's policy hash, absent if none */
	RAMPART_A_CONFIRM_LEFT,     /* u32: milliseconds until the pending load reverts */
	RAMPART_A_REVERTS,          /* u32: loads reverted by their deadline in this namespace */
	RAMPART_A_LAST_REVERTED,    /* u64: policy hash of the table last reverted by deadline */
	RAMPART_A_ENABLED,          /* u8: 0 disables filtering (the failure mode then applies) */
	RAMPART_A_FAIL_CLOSED,      /* u8: 1 drops, 0 accepts when no table decides */
	RAMPART_A_MALFORMED,        /* u64: packets with truncated/invalid headers, dropped; in a
				     * TEST_PACKET reply, u64 1 says the raw packet was malformed */
	RAMPART_A_RULE_ID,          /* u32: stable rule id (FNV-1a of the rule's name) */
	RAMPART_A_RULE_INDEX,       /* u32: index in the table's rule section */
	RAMPART_A_PACKETS,          /* u64 */
	RAMPART_A_BYTES,            /* u64 */
	RAMPART_A_LAST_HIT,         /* u64: milliseconds since the last hit, absent if never */
	RAMPART_A_HOOK,             /* u32: enum rampart_hook of the core: 0 input, 1 forward, 2 output */
	RAMPART_A_VERDICT,          /* u32: 0 accept, 1 drop, 2 reject */
	RAMPART_A_REJECT_KIND,      /* u32: 0 auto, 1 tcp-reset, 2 port, 3 host, 4 admin-prohibited */
	RAMPART_A_SET_NAME,         /* string: name of a dynamic set of the running table */
	RAMPART_A_SET_ADDR,         /* binary, 16 bytes: IPv6 address, IPv4 as ::ffff:a.b.c.d */
	RAMPART_A_SET_TIMEOUT,      /* u32: element lifetime in seconds; 0 never expires; absent:
				     * the set's declared timeout */
	RAMPART_A_SET_EXPIRES,      /* u32: milliseconds the element has left, absent if never */
	RAMPART_A_SET_ELEMENTS,     /* u32: live elements (SET_LIST replies) */
	RAMPART_A_TEST_KEYS,        /* binary: n records of struct rampart_test_key */
	RAMPART_A_TEST_RESULTS,     /* binary: n records of struct rampart_test_result */
	RAMPART_A_TEST_RAW,         /* binary: an IPv4 or IPv6 packet starting at the IP header */
	RAMPART_A_TEST_IIF,         /* string: input interface name for TEST_RAW */
	RAMPART_A_TEST_OIF,         /* string: output interface name for TEST_RAW */
	RAMPART_A_TEST_STATE,       /* u32: conntrack state for TEST_RAW: 0 new 1 established
				     * 2 related 3 invalid (default 0) */
	RAMPART_A_FAILURES,         /* u64: loads refused by verification, module-wide */
	RAMPART_A_PAD,
	RAMPART_A_FLOW_EXPORT,      /* u64: number of the export, per namespace, from 1 */
	RAMPART_A_FLOW_RECORDS,     /* binary: n records of struct rampart_flow_record */
	RAMPART_A_FLOW_END,         /* u32: the last message of an export; value: records in it */
	RAMPART_A_FLOW_REASON,      /* u32: enum rampart_flow_reason, why the export happened */
	RAMPART_A_FLOW_LOST,        /* binary: __u64[RAMPART_FLOW_LOST_MAX], see below */
	__RAMPART_A_LAST
};
#define RAMPART_A_MAX (__RAMPART_A_LAST - 1)

/*
 * Flags of LOAD_COMMIT. DRY_RUN verifies the upload and answers as a commit would, without
 * touching the running table (the upload stays for a real commit).
 */
enum rampart_flags {
	RAMPART_F_DRY_RUN = 1u << 0,
	RAMPART_F_ALL = RAMPART_F_DRY_RUN,
};

/* One key of a TEST_KEYS batch: a record of the key file (dev.rampart.dsl.table.KeyCodec). */
struct rampart_test_key {
	__u32 hook;
	__u32 reserved;             /* must be 0 */
	__u64 w[15];                /* key words, enum rampart_word order of the C core */
};

/* One answer of a TEST_RESULTS batch, in the order of the keys. */
struct rampart_test_result {
	__u32 verdict;              /* 0 accept 1 drop 2 reject; 0xff: no chain for the hook */
	__u32 rule_index;           /* 0xffffffff when the chain's policy decided */
	__u32 rule_id;              /* 0 when the policy decided */
	__u32 reject_kind;
};

#define RAMPART_TEST_NO_CHAIN 0xffu

/*
 * Flow log. Packets decided by a rule with the log flag (table rule flags bit 0), and with
 * /sys/kernel/rampart/flow_log_drops set every packet dropped or rejected by the table (rules
 * and chain policies), are summed per flow in the kernel: one record per distinct key (family,
 * addresses, protocol, ports or ICMP type/code, interfaces, hook, verdict, rule, table
 * generation). Each namespace has its own flow table of /sys/kernel/rampart/flow_max records.
 *
 * Every flow_interval seconds, when the table fills (unless flow_export_on_full is 0), on
 * FLOW_FLUSH and when the module unloads, the namespace's records are multicast to the group
 * RAMPART_GENL_MCGRP_FLOWS ("flows") of the family, in that namespace only, and the table
 * starts empty: each packet is in exactly one export. Subscribing needs CAP_NET_ADMIN.
 * One export is
 *
 *   FLOWS { FLOW_EXPORT, FLOW_RECORDS }                      zero or more messages, then
 *   FLOWS { FLOW_EXPORT, FLOW_END, FLOW_REASON, FLOW_LOST }  exactly one
 *
 * all with the same FLOW_EXPORT number; FLOW_END counts the records of every message of the
 * export, so a reader knows it saw them all. An interval export with no records and nothing
 * lost is not sent. An export that found no subscriber is not sent either but keeps its number
 * (a gap for later subscribers); its records are counted in the next END as NO_LISTENER.
 *
 * FLOW_LOST counts, per enum rampart_flow_lost, what was not delivered since the last END that
 * was: packets that could not be recorded because the table was full, and records of exports
 * that had no subscriber or whose message the kernel could not allocate or deliver (a
 * subscriber's full socket buffer: it also sees ENOBUFS). Summing FLOW_LOST over the exports a
 * subscriber receives gives everything lost, nothing is dropped without being counted; only
 * the records of a namespace being destroyed (it has no subscriber left) go uncounted.
 */
#define RAMPART_GENL_MCGRP_FLOWS "flows"

enum rampart_flow_reason {
	RAMPART_FLOW_REASON_INTERVAL = 0,   /* flow_interval passed */
	RAMPART_FLOW_REASON_FULL = 1,       /* the flow table filled up */
	RAMPART_FLOW_REASON_FLUSH = 2,      /* RAMPART_CMD_FLOW_FLUSH */
	RAMPART_FLOW_REASON_UNLOAD = 3,     /* the module is being unloaded */
};

enum rampart_flow_lost {
	RAMPART_FLOW_LOST_TABLE_FULL = 0,   /* packets: their flow was new and the table full */
	RAMPART_FLOW_LOST_NO_LISTENER = 1,  /* records: nobody subscribed at export time */
	RAMPART_FLOW_LOST_SEND_FAILED = 2,  /* records: no memory for, or undeliverable message */
	RAMPART_FLOW_LOST_MAX = 4,          /* array size; the last slot is reserved, 0 */
};

/* One flow. Addresses as in SET_ADDR (IPv4 as ::ffff:a.b.c.d). Times: CLOCK_REALTIME, ms. */
struct rampart_flow_record {
	__u8 src[16];
	__u8 dst[16];
	char iif[16];               /* input interface, NUL-padded; empty on the output hook */
	char oif[16];               /* output interface; empty on the input hook */
	__u64 generation;           /* policy hash of the table that decided */
	__u64 packets;
	__u64 bytes;                /* IP packet lengths as the hook saw them */
	__u64 first_ms;
	__u64 last_ms;
	__u32 rule_id;              /* stable rule id; 0 when the chain's policy decided */
	__u32 rule_index;           /* 0xffffffff when the chain's policy decided */
	__u16 sport;                /* TCP, UDP, UDP-Lite, SCTP; 0 otherwise and in fragments */
	__u16 dport;
	__u8 family;                /* 4 or 6 */
	__u8 proto;                 /* upper-layer protocol after IPv6 extension headers */
	__u8 hook;                  /* 0 input, 1 forward, 2 output */
	__u8 verdict;               /* 0 accept, 1 drop, 2 reject */
	__u8 tcp_flags;             /* OR of the TCP flag bytes of the flow's packets */
	__u8 icmp_type;             /* ICMP and ICMPv6; 0 otherwise */
	__u8 icmp_code;
	__u8 reserved[5];           /* 0 */
};

#endif /* _UAPI_LINUX_RAMPART_H */
