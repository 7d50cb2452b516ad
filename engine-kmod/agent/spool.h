/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The flow-record spool: every record the agent accepts gets the box's next sequence number and
 * is appended to checksummed segment files under STATE_DIR/spool, where it stays until a desktop
 * acknowledges it. Format, fsync policy and recovery rules: docs/protocol.md section 9.
 */
#ifndef RAMPART_SPOOL_H
#define RAMPART_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "box.h"

/* Why a range of sequence numbers has no record (the LOSS item of the stream). */
enum spool_reason {
	SPOOL_LOST_FULL = 1,     /* the spool was at its size limit when the record came */
	SPOOL_LOST_CORRUPT = 2,  /* its segment failed its checks at start and was quarantined */
	SPOOL_LOST_DELETED = 3,  /* deleted after an acknowledgement, before this reader asked */
	SPOOL_LOST_MISSING = 4,  /* not in the spool for another reason (a segment file removed by hand) */
	SPOOL_REASONS = 5
};

struct spool;

struct spool_cursor {
	uint64_t next;      /* next sequence number this reader wants */
	uint64_t seg_first; /* hint: segment and offset where `next` starts (off 0: unknown) */
	uint64_t off;
};

struct spool_item {
	int loss;               /* 0: rec is a record; 1: first..first+count-1 lost for reason */
	struct record rec;
	uint64_t first, count;
	unsigned reason;
};

struct spool_stats {
	uint64_t spool_id, next_seq, oldest_seq, acked_end, bytes, max_bytes;
	uint64_t lost[SPOOL_REASONS]; /* records lost by reason since start (FULL counts exactly) */
	uint64_t write_errors;        /* records refused because a write failed (no seq taken)    */
	uint32_t segments, quarantined;
};

typedef void (*spool_log_fn)(void *ctx, const char *msg);

/*
 * Opens (creating if needed) the spool in state_dir/spool and recovers it: a torn tail of the
 * newest segment is truncated, a segment that fails its checks is moved to spool/corrupt/ and its
 * range reported lost. max_bytes bounds the segment files; sync_ms is the fsync period (0: fsync
 * after every append). NULL with err on failure.
 */
struct spool *spool_open(const char *state_dir, uint64_t max_bytes, uint32_t sync_ms,
			 spool_log_fn log, void *log_ctx, char *err, size_t errlen);
/*
 * Appends r, giving it the next sequence number (r->seq is set). Returns 0 when stored (in the
 * page cache: a SIGKILL of the agent cannot lose it), 1 when the spool is full (the record is
 * counted lost and its number is part of a LOSS range), -1 when the write failed (counted in
 * write_errors; no number taken).
 */
int spool_append(struct spool *s, struct record *r);
/* fsyncs what the period asks for; call from the main loop. */
void spool_tick(struct spool *s, uint64_t now_ms);
/* fsyncs everything written so far: the stream may carry it afterwards. */
int spool_sync(struct spool *s);
/*
 * Records up to and including through are safe on the desktop: deletes every closed segment
 * that holds nothing newer. Returns the number of segments deleted, or -1 (err) when through is
 * not below the next sequence number.
 */
int spool_ack(struct spool *s, uint64_t through, char *err, size_t errlen);
/* Starts a cursor at seq (anything from 0 to the next sequence number). */
void spool_cursor_at(struct spool_cursor *c, uint64_t seq);
/*
 * Fills up to max items from the cursor on, in sequence order: records, and LOSS ranges for
 * numbers without a record. Only fsynced entries are returned, so that a power cut can never
 * take back a number a desktop has seen. Returns the number of items.
 */
int spool_read(struct spool *s, struct spool_cursor *c, struct spool_item *out, int max);
void spool_stats(const struct spool *s, struct spool_stats *st);
const char *spool_reason_name(unsigned reason);
void spool_close(struct spool *s);

/* Entry and header sizes (for tests and size planning). */
#define SPOOL_HDR 32
/* Record entries: 76 bytes before flow counters were kept, 120 before interface names were
 * (both still read), 152 since. */
#define SPOOL_REC_ENTRY_V1 76
#define SPOOL_REC_ENTRY_V2 120
#define SPOOL_REC_ENTRY 152
#define SPOOL_LOSS_ENTRY 32

#endif
