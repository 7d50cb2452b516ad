/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * Rampart classifier core: verifies a compiled table (docs/table-format.md) once, then classifies
 * packet keys against it. Portable C11, no libc, no allocation, no recursion; after
 * rampart_verify() accepts a blob, rampart_classify() reads only inside it and ends in bounded time.
 */
#ifndef RAMPART_CORE_H
#define RAMPART_CORE_H

#include "rampart_shim.h"

#define RAMPART_MAGIC0 0x52 /* 'R' */
#define RAMPART_MAGIC1 0x4d /* 'M' */
#define RAMPART_MAGIC2 0x50 /* 'P' */
#define RAMPART_MAGIC3 0x54 /* 'T' */
#define RAMPART_VERSION_MAJOR 1
#define RAMPART_VERSION_MINOR 0

#define RAMPART_HEADER_SIZE 136
#define RAMPART_MAX_DEPTH 64
#define RAMPART_MAX_CUT_BITS 8

/* Section directory, in this order, each entry {u32 offset, u32 count} at 32 + 8 * index. */
enum rampart_section {
	RAMPART_SEC_STRINGS = 0,   /* bytes                         */
	RAMPART_SEC_RULES,         /* 8-byte rule records           */
	RAMPART_SEC_NAMES,         /* 8-byte {rule, string} pairs   */
	RAMPART_SEC_CHAINS,        /* 32-byte chain records         */
	RAMPART_SEC_SETS,          /* 24-byte dynamic set records   */
	RAMPART_SEC_TERMS,         /* 32-byte term records          */
	RAMPART_SEC_EXTS,          /* 8-byte extra conditions       */
	RAMPART_SEC_INTERVALS,     /* 32-byte 128-bit intervals     */
	RAMPART_SEC_TREES,         /* 24-byte tree records          */
	RAMPART_SEC_NODES,         /* 8-byte cut nodes              */
	RAMPART_SEC_REFS,          /* 4-byte child references       */
	RAMPART_SEC_LEAVES,        /* 8-byte leaf records           */
	RAMPART_SEC_LEAFTERMS,     /* 4-byte term indexes           */
	RAMPART_SEC_COUNT
};

/* Key words: each match field as 64-bit words; 128-bit fields are {high, low}. */
enum rampart_word {
	RAMPART_W_SRC_HI = 0, RAMPART_W_SRC_LO, RAMPART_W_DST_HI, RAMPART_W_DST_LO,
	RAMPART_W_PROTO, RAMPART_W_SPORT, RAMPART_W_DPORT, RAMPART_W_ICMP_TYPE, RAMPART_W_ICMP_CODE,
	RAMPART_W_TCP_FLAGS, RAMPART_W_STATE, RAMPART_W_IIF_HI, RAMPART_W_IIF_LO,
	RAMPART_W_OIF_HI, RAMPART_W_OIF_LO,
	RAMPART_W_COUNT
};

/* Field ids as the IR numbers them (dev.rampart.dsl.ir.Field ordinals). */
enum rampart_field {
	RAMPART_F_SRC = 0, RAMPART_F_DST, RAMPART_F_PROTO, RAMPART_F_SPORT, RAMPART_F_DPORT,
	RAMPART_F_ICMP_TYPE, RAMPART_F_ICMP_CODE, RAMPART_F_TCP_FLAGS, RAMPART_F_STATE,
	RAMPART_F_IIF, RAMPART_F_OIF,
	RAMPART_F_COUNT
};

enum rampart_hook { RAMPART_HOOK_INPUT = 0, RAMPART_HOOK_FORWARD = 1, RAMPART_HOOK_OUTPUT = 2 };
enum rampart_verdict { RAMPART_ACCEPT = 0, RAMPART_DROP = 1, RAMPART_REJECT = 2 };

/* Term word 0: rule index, ext count, IPv4 flags, wildcard protocol; word 1: ext index, protocol. */
#define RAMPART_TERM_RULE_MASK 0x00ffffffu
#define RAMPART_TERM_EXTS_SHIFT 24
#define RAMPART_TERM_V4_SHIFT 28
#define RAMPART_TERM_SRC_V4 0x01u     /* after >> RAMPART_TERM_V4_SHIFT */
#define RAMPART_TERM_DST_V4 0x02u
#define RAMPART_TERM_PROTO_ANY 0x40000000u
#define RAMPART_TERM_RESERVED 0x80000000u
#define RAMPART_TERM_EXT_MASK 0x00ffffffu
#define RAMPART_EXT_INTERVALS 1
#define RAMPART_EXT_SET 2
#define RAMPART_EXT_SET_NEGATED 0x8000u
#define RAMPART_REF_LEAF 0x80000000u
#define RAMPART_RULE_LOG 0x01u
#define RAMPART_RULE_COUNT 0x02u
#define RAMPART_NO_RULE 0xffffffffu

/* Errors of rampart_verify(); docs/table-format.md lists what each means. */
enum rampart_error {
	RAMPART_OK = 0,
	RAMPART_E_SHORT = 1,        /* blob shorter than the header or than total_length     */
	RAMPART_E_MAGIC = 2,
	RAMPART_E_VERSION = 3,      /* major version not 1                                    */
	RAMPART_E_LENGTH = 4,       /* total_length differs from the blob's size              */
	RAMPART_E_CHECKSUM = 5,
	RAMPART_E_FLAGS = 6,        /* unknown header flag or non-zero reserved field         */
	RAMPART_E_SECTION = 7,      /* section misaligned, out of bounds, or too large        */
	RAMPART_E_LIMIT = 8,        /* a configured size limit is exceeded                    */
	RAMPART_E_STRING = 9,       /* string offset or length out of the string section      */
	RAMPART_E_RULE = 10,        /* bad verdict, reject kind, or rule flag                 */
	RAMPART_E_CHAIN = 11,       /* bad hook, duplicate hook, ranges out of bounds         */
	RAMPART_E_SET = 12,
	RAMPART_E_TERM = 13,        /* rule index out of chain, order, flags, ext range       */
	RAMPART_E_EXT = 14,         /* bad kind, field, set index, interval range             */
	RAMPART_E_INTERVAL = 15,    /* lo > hi, or bits beyond the field's width              */
	RAMPART_E_TREE = 16,        /* tree ranges overlap, out of bounds, or bad root        */
	RAMPART_E_NODE = 17,        /* bad key word, cut width, shift, level                  */
	RAMPART_E_REF = 18,         /* child outside its tree, or not deeper than its parent  */
	RAMPART_E_LEAF = 19,        /* leaf terms out of range, unsorted, or not tiling       */
};

/* Limits verify enforces; the kernel passes its own, tests the defaults. */
struct rampart_limits {
	uint32_t max_total_length;
	uint32_t max_rules;
	uint32_t max_terms;
	uint32_t max_nodes;
	uint32_t max_leaf_terms;    /* total entries in all leaves */
	uint32_t max_leaf_size;     /* entries in one leaf */
};

struct rampart_verify_error {
	int code;                   /* enum rampart_error */
	uint32_t offset;            /* byte offset of the offending field */
};

/* A verified table: the blob plus section pointers, filled by rampart_verify(). */
struct rampart_table {
	const uint8_t *blob;
	uint32_t length;
	uint32_t max_depth;
	const uint8_t *sec[RAMPART_SEC_COUNT];
	uint32_t count[RAMPART_SEC_COUNT];
	int32_t chain_of_hook[3];   /* chain index, or -1 when the table has none for that hook */
};

/* The classification key: fields the packet does not carry are 0 (see the IR's Field). */
struct rampart_key {
	uint64_t w[RAMPART_W_COUNT];
};

/*
 * Dynamic-set membership, supplied by the caller (the kernel plugs its set implementation):
 * returns non-zero when addr (128-bit, IPv4 mapped, {high, low}) is in set number set_index.
 */
typedef int (*rampart_set_lookup)(void *ctx, uint32_t set_index, const uint64_t addr[2]);

struct rampart_result {
	uint32_t verdict;           /* enum rampart_verdict */
	uint32_t rule_index;        /* RAMPART_NO_RULE when the chain's policy decided */
	uint32_t rule_id;           /* the rule's stable numeric id, 0 by policy */
	uint32_t rule_flags;        /* RAMPART_RULE_LOG | RAMPART_RULE_COUNT */
	uint32_t reject_kind;
};

void rampart_default_limits(struct rampart_limits *lim);

/* 0 and *out filled on success; otherwise the error code, with err->offset saying where. */
int rampart_verify(const uint8_t *blob, size_t length, const struct rampart_limits *lim,
		   struct rampart_table *out, struct rampart_verify_error *err);

/* 0 on success; -1 when the table has no chain for the hook (the caller's default applies). */
int rampart_classify(const struct rampart_table *t, uint32_t hook, const struct rampart_key *key,
		     rampart_set_lookup sets, void *sets_ctx, struct rampart_result *res);

/* The same answer by scanning every term in order: the baseline and the tests' model. */
int rampart_classify_linear(const struct rampart_table *t, uint32_t hook,
			    const struct rampart_key *key, rampart_set_lookup sets,
			    void *sets_ctx, struct rampart_result *res);

uint32_t rampart_crc32c(const uint8_t *p, size_t n);

/* librampart-core.so only (batch.c), for bindings: see there. */
size_t rampart_table_size(void);
void rampart_classify_batch(const struct rampart_table *t, const uint64_t *keys, uint32_t n,
			    const uint64_t *elems, uint32_t nelems, uint32_t *out);

/* Little-endian loads that compile to single moves on little-endian targets. */
static inline uint16_t rampart_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t rampart_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rampart_rd64(const uint8_t *p)
{
	return (uint64_t)rampart_rd32(p) | (uint64_t)rampart_rd32(p + 4) << 32;
}

#endif
