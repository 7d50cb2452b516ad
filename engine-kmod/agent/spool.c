// SPDX-License-Identifier: GPL-2.0-only
/*
 * The flow-record spool (docs/protocol.md section 9). Segment files are only ever appended to,
 * with one exception: while the spool is full, the LOSS entry at the very end of the newest
 * segment is rewritten in place with its growing count, so that the count survives a SIGKILL
 * without the spool growing past its limit. Readers never see that entry until it is final.
 */
#define _GNU_SOURCE
#include "spool.h"
#include "link.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SPOOL_VERSION 1
#define T_RECORD 1
#define T_LOSS 2
#define ENTRY_MIN 16
#define F_OPEN 1   /* LOSS entry still growing: the spool was full when it was last written */
#define MAX_HOLES 64

struct seg {
	uint64_t first, end, bytes; /* end: the sequence number after its last entry */
};

struct hole {
	uint64_t first, end;        /* [first, end) quarantined */
};

struct spool {
	char dir[600];
	uint64_t spool_id, max_bytes, seg_target, total;
	uint32_t sync_ms;
	uint64_t last_sync_ms;
	struct seg *segs;
	size_t nsegs, capsegs;
	struct hole holes[MAX_HOLES];
	size_t nholes;
	int fd;                     /* the newest segment, open for writing */
	int lock_fd;                /* spool/LOCK, flocked: one writer per spool */
	uint64_t synced;            /* bytes of the newest segment known to be on disk */
	uint64_t next_seq, acked_end;
	int loss_open;              /* a LOSS entry at the tail still grows (spool full) */
	uint64_t loss_off, loss_first, loss_count;
	int tail_open;              /* recovery: the newest segment ends in an open LOSS entry */
	uint64_t tail_off, tail_first, tail_count;
	uint64_t lost[SPOOL_REASONS], write_errors;
	uint32_t quarantined;
	spool_log_fn log;
	void *log_ctx;
};

static void close_loss(struct spool *s);

static void slog(struct spool *s, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->log)
		s->log(s->log_ctx, msg);
}

const char *spool_reason_name(unsigned reason)
{
	switch (reason) {
	case SPOOL_LOST_FULL: return "spool full";
	case SPOOL_LOST_CORRUPT: return "corrupt spool segment quarantined";
	case SPOOL_LOST_DELETED: return "deleted from the spool after an acknowledgement";
	case SPOOL_LOST_MISSING: return "missing from the spool";
	default: return "unknown";
	}
}

/* ---- encoding -------------------------------------------------------------------------------- */

static void put_header(uint8_t h[SPOOL_HDR], uint64_t first, uint64_t id)
{
	memset(h, 0, SPOOL_HDR);
	memcpy(h, "RSPL", 4);
	rl_put16(h + 4, SPOOL_VERSION);
	rl_put16(h + 6, SPOOL_HDR);
	rl_put64(h + 8, first);
	rl_put64(h + 16, id);
	rl_put32(h + 28, rl_crc32c(h, 28));
}

static void seal(uint8_t *e, size_t len)
{
	rl_put32(e, rl_crc32c(e + 4, len - 4));
}

/* 16 bytes, NUL-padded, so that the checksum covers no stale bytes after the name. */
static void put_name(uint8_t *p, const char name[16])
{
	size_t n = strnlen(name, 15);

	memset(p, 0, 16);
	memcpy(p, name, n);
}

/* The reverse, always NUL-terminated whatever the 16 bytes hold. */
static void get_name(char name[16], const uint8_t *p)
{
	memcpy(name, p, 15);
	name[15] = 0;
}

static void encode_record(uint8_t e[SPOOL_REC_ENTRY], const struct record *r)
{
	uint8_t *b = e + 16;

	rl_put16(e + 4, SPOOL_REC_ENTRY);
	e[6] = T_RECORD;
	e[7] = 0;
	rl_put64(e + 8, r->seq);
	rl_put64(b, r->time_ms);
	rl_put64(b + 8, r->generation);
	b[16] = r->hook;
	b[17] = r->verdict;
	b[18] = r->proto;
	b[19] = r->v4;
	memcpy(b + 20, r->src, 16);
	memcpy(b + 36, r->dst, 16);
	rl_put16(b + 52, r->sport);
	rl_put16(b + 54, r->dport);
	rl_put32(b + 56, r->rule_id);
	rl_put64(b + 60, r->packets);
	rl_put64(b + 68, r->bytes);
	rl_put64(b + 76, r->first_ms);
	rl_put64(b + 84, r->last_ms);
	rl_put32(b + 92, r->in_if);
	rl_put32(b + 96, r->out_if);
	rl_put16(b + 100, r->tcp_flags);
	rl_put16(b + 102, 0);
	put_name(b + 104, r->in_name);
	put_name(b + 120, r->out_name);
	seal(e, SPOOL_REC_ENTRY);
}

/* Entries of SPOOL_REC_ENTRY_V1 bytes (written before the counters were kept) decode with
 * packets 0: "not known", which readers must not take for a count; entries of
 * SPOOL_REC_ENTRY_V2 bytes (before interface names) with empty names. */
static void decode_record(const uint8_t *e, struct record *r)
{
	const uint8_t *b = e + 16;

	memset(r, 0, sizeof(*r));
	r->seq = rl_get64(e + 8);
	r->time_ms = rl_get64(b);
	r->generation = rl_get64(b + 8);
	r->hook = b[16];
	r->verdict = b[17];
	r->proto = b[18];
	r->v4 = b[19];
	memcpy(r->src, b + 20, 16);
	memcpy(r->dst, b + 36, 16);
	r->sport = rl_get16(b + 52);
	r->dport = rl_get16(b + 54);
	r->rule_id = rl_get32(b + 56);
	if (rl_get16(e + 4) >= SPOOL_REC_ENTRY_V2) {
		r->packets = rl_get64(b + 60);
		r->bytes = rl_get64(b + 68);
		r->first_ms = rl_get64(b + 76);
		r->last_ms = rl_get64(b + 84);
		r->in_if = rl_get32(b + 92);
		r->out_if = rl_get32(b + 96);
		r->tcp_flags = rl_get16(b + 100);
	}
	if (rl_get16(e + 4) >= SPOOL_REC_ENTRY) {
		get_name(r->in_name, b + 104);
		get_name(r->out_name, b + 120);
	}
}

static void encode_loss(uint8_t e[SPOOL_LOSS_ENTRY], uint64_t first, uint64_t count, unsigned reason, int open)
{
	memset(e, 0, SPOOL_LOSS_ENTRY);
	rl_put16(e + 4, SPOOL_LOSS_ENTRY);
	e[6] = T_LOSS;
	e[7] = open ? F_OPEN : 0;
	rl_put64(e + 8, first);
	rl_put64(e + 16, count);
	rl_put16(e + 24, (uint16_t)reason);
	seal(e, SPOOL_LOSS_ENTRY);
}

/* Length, type and checksum of the entry at p (avail bytes there); 0 when not a sound entry. */
static size_t entry_ok(const uint8_t *p, size_t avail)
{
	size_t len;

	if (avail < ENTRY_MIN)
		return 0;
	len = rl_get16(p + 4);
	if (len < ENTRY_MIN || len > avail || (p[7] != 0 && !(p[6] == T_LOSS && p[7] == F_OPEN)))
		return 0;
	if (!((p[6] == T_RECORD && len >= SPOOL_REC_ENTRY_V1) || (p[6] == T_LOSS && len >= SPOOL_LOSS_ENTRY)))
		return 0;
	if (rl_crc32c(p + 4, len - 4) != rl_get32(p))
		return 0;
	if (p[6] == T_LOSS && rl_get64(p + 16) == 0)
		return 0;
	return len;
}

/* The sequence number after the entry's range. */
static uint64_t entry_end(const uint8_t *p)
{
	return rl_get64(p + 8) + (p[6] == T_LOSS ? rl_get64(p + 16) : 1);
}

/* ---- files ------------------------------------------------------------------------------------ */

static void seg_path(const struct spool *s, uint64_t first, char *out, size_t n)
{
	snprintf(out, n, "%s/%016llx.seg", s->dir, (unsigned long long)first);
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int write_all(int fd, const void *p, size_t n, uint64_t off)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = pwrite(fd, b, n, (off_t)off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;
	uint8_t *b;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	b = malloc((size_t)st.st_size + 1);
	while (b && off < (size_t)st.st_size) {
		ssize_t r = pread(fd, b + off, (size_t)st.st_size - off, (off_t)off);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		off += (size_t)r;
	}
	close(fd);
	if (!b)
		return -1;
	*out = b;
	*len = off;
	return 0;
}

static int add_seg(struct spool *s, uint64_t first, uint64_t end, uint64_t bytes)
{
	if (s->nsegs == s->capsegs) {
		size_t cap = s->capsegs ? s->capsegs * 2 : 16;
		struct seg *n = realloc(s->segs, cap * sizeof(*n));

		if (!n)
			return -1;
		s->segs = n;
		s->capsegs = cap;
	}
	s->segs[s->nsegs++] = (struct seg){ first, end, bytes };
	s->total += bytes;
	return 0;
}

/* Creates the newest segment, starting at next_seq, and makes it the one written to. */
static int new_segment(struct spool *s)
{
	char path[700];
	uint8_t h[SPOOL_HDR];
	int fd;

	seg_path(s, s->next_seq, path, sizeof(path));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	put_header(h, s->next_seq, s->spool_id);
	if (write_all(fd, h, SPOOL_HDR, 0) || fdatasync(fd) || add_seg(s, s->next_seq, s->next_seq, SPOOL_HDR)) {
		close(fd);
		unlink(path);
		return -1;
	}
	sync_dir(s->dir);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->synced = SPOOL_HDR;
	return 0;
}

/* ---- recovery --------------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void quarantine(struct spool *s, uint64_t first, uint64_t end, const char *why)
{
	char from[700], to[760];

	seg_path(s, first, from, sizeof(from));
	snprintf(to, sizeof(to), "%s/corrupt/%016llx-%016llx.seg", s->dir, (unsigned long long)first,
		 (unsigned long long)end);
	if (rename(from, to))
		slog(s, "spool: cannot move %s to %s: %s", from, to, strerror(errno));
	slog(s, "spool: segment %s is corrupt (%s): not loaded, moved to %s; records %llu..%llu are "
	     "reported lost (corrupt spool segment)", from, why, to, (unsigned long long)first,
	     (unsigned long long)(end - 1));
	if (s->nholes < MAX_HOLES)
		s->holes[s->nholes++] = (struct hole){ first, end };
	s->quarantined++;
	sync_dir(s->dir);
}

/*
 * Checks one segment file. Returns 1 when loaded (possibly after truncating a torn tail), 0 when
 * quarantined. next_first is the next segment's first sequence number (0 for the newest).
 */
static int recover_segment(struct spool *s, uint64_t first, uint64_t next_first, int newest)
{
	char path[700], why[200];
	uint8_t *b = NULL;
	size_t len = 0, off = SPOOL_HDR, o;
	uint64_t expect = first, high = first;
	int ok;

	seg_path(s, first, path, sizeof(path));
	if (read_file(path, &b, &len)) {
		snprintf(why, sizeof(why), "cannot read it: %s", strerror(errno));
		quarantine(s, first, next_first > first ? next_first : first + 1, why);
		return 0;
	}
	if (newest && (len < SPOOL_HDR || !memcmp(b, (uint8_t[SPOOL_HDR]){ 0 }, SPOOL_HDR))) {
		/* Created just before a power cut: nothing in it was ever readable. */
		uint8_t h[SPOOL_HDR];
		int fd = open(path, O_RDWR | O_TRUNC | O_CLOEXEC);

		put_header(h, first, s->spool_id);
		ok = fd >= 0 && !write_all(fd, h, SPOOL_HDR, 0) && !fdatasync(fd);
		if (fd >= 0)
			close(fd);
		free(b);
		if (!ok)
			return 0;
		slog(s, "spool: rewrote the incomplete header of the newest segment %s", path);
		return add_seg(s, first, first, SPOOL_HDR) ? 0 : 1;
	}
	if (len < SPOOL_HDR || memcmp(b, "RSPL", 4) || rl_get16(b + 4) != SPOOL_VERSION
	    || rl_get16(b + 6) != SPOOL_HDR || rl_crc32c(b, 28) != rl_get32(b + 28) || rl_get64(b + 8) != first) {
		snprintf(why, sizeof(why), "bad segment header");
		ok = 0;
	} else {
		if (!s->spool_id)
			s->spool_id = rl_get64(b + 16);
		ok = 1;
		size_t last_off = 0;

		while (off < len) {
			size_t n = entry_ok(b + off, len - off);

			if (!n || rl_get64(b + off + 8) != expect)
				break;
			expect = entry_end(b + off);
			last_off = off;
			off += n;
		}
		/* Only the very last entry can still be open: a full spool appends nothing after it. */
		if (newest && last_off && b[last_off + 6] == T_LOSS && b[last_off + 7] == F_OPEN) {
			s->tail_open = 1;
			s->tail_off = last_off;
			s->tail_first = rl_get64(b + last_off + 8);
			s->tail_count = rl_get64(b + last_off + 16);
		}
		high = expect;
		if (off < len) {
			/* A sound entry after the bad one means damage inside the file, not a torn end. */
			int later = 0;

			for (o = off + 4; o + ENTRY_MIN <= len; o += 4) {
				if (entry_ok(b + o, len - o)) {
					later = 1;
					if (entry_end(b + o) > high)
						high = entry_end(b + o);
				}
			}
			if (later || !newest) {
				snprintf(why, sizeof(why), "entry at byte offset %zu fails its checks (expected seq %llu)",
					 off, (unsigned long long)expect);
				ok = 0;
			} else {
				if (truncate(path, (off_t)off)) {
					snprintf(why, sizeof(why), "cannot truncate its torn tail: %s", strerror(errno));
					ok = 0;
				} else {
					slog(s, "spool: truncated a torn tail of %zu bytes at byte offset %zu of %s "
					     "(records from seq %llu on were incomplete)", len - off, off, path,
					     (unsigned long long)expect);
					len = off;
				}
			}
		}
	}
	if (!ok) {
		/* Never hand out a number the damaged file may have held: a desktop may have seen it. */
		uint64_t end = next_first > first ? next_first : high + (len > off ? (len - off) / 4 : 0) + 1;

		free(b);
		quarantine(s, first, end, why);
		return 0;
	}
	free(b);
	return add_seg(s, first, expect, len) ? 0 : 1;
}

static int recover(struct spool *s, char *err, size_t errlen)
{
	DIR *d = opendir(s->dir);
	struct dirent *de;
	uint64_t *firsts = NULL, end = 0;
	size_t n = 0, cap = 0, i;

	if (!d) {
		snprintf(err, errlen, "cannot open %s: %s", s->dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		unsigned long long f;
		char tail[8];

		if (strlen(de->d_name) != 20 || sscanf(de->d_name, "%16llx%7s", &f, tail) != 2 || strcmp(tail, ".seg"))
			continue;
		if (n == cap) {
			uint64_t *nf = realloc(firsts, (cap = cap ? cap * 2 : 64) * sizeof(*nf));

			if (!nf) {
				free(firsts);
				closedir(d);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			firsts = nf;
		}
		firsts[n++] = f;
	}
	closedir(d);
	if (n)
		qsort(firsts, n, sizeof(*firsts), cmp_u64);
	for (i = 0; i < n; i++) {
		size_t before = s->nsegs;

		recover_segment(s, firsts[i], i + 1 < n ? firsts[i + 1] : 0, i + 1 == n);
		if (s->nsegs > before) {
			struct seg *g = &s->segs[s->nsegs - 1];

			/* A segment must start where the one before it ended (or after a known hole). */
			if (before && g->first < s->segs[before - 1].end) {
				s->total -= g->bytes;
				s->nsegs--;
				quarantine(s, g->first, g->end > s->segs[before - 1].end ? g->end : s->segs[before - 1].end,
					   "it overlaps the segment before it");
				continue;
			}
			if (g->end > end)
				end = g->end;
		}
	}
	free(firsts);
	/* Quarantined files of earlier runs still explain their holes. */
	{
		char cdir[700];

		snprintf(cdir, sizeof(cdir), "%s/corrupt", s->dir);
		d = opendir(cdir);
		while (d && (de = readdir(d))) {
			unsigned long long a, b;
			size_t k;
			int dup = 0;

			if (sscanf(de->d_name, "%16llx-%16llx.seg", &a, &b) != 2 || b <= a)
				continue;
			for (k = 0; k < s->nholes; k++)
				dup |= s->holes[k].first == a;
			if (!dup && s->nholes < MAX_HOLES)
				s->holes[s->nholes++] = (struct hole){ a, b };
		}
		if (d)
			closedir(d);
	}
	for (i = 0; i < s->nholes; i++)
		if (s->holes[i].end > end)
			end = s->holes[i].end;
	s->next_seq = end;
	s->acked_end = s->nsegs ? s->segs[0].first : end;
	for (i = 0; i < s->nholes; i++)
		if (s->holes[i].first < s->acked_end)
			s->acked_end = s->holes[i].first;
	return 0;
}

struct spool *spool_open(const char *state_dir, uint64_t max_bytes, uint32_t sync_ms,
			 spool_log_fn log, void *log_ctx, char *err, size_t errlen)
{
	struct spool *s = calloc(1, sizeof(*s));
	char cdir[700];

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (max_bytes < 16384) {
		snprintf(err, errlen, "spool size limit %llu bytes is below the minimum of 16384",
			 (unsigned long long)max_bytes);
		free(s);
		return NULL;
	}
	s->fd = -1;
	s->lock_fd = -1;
	s->log = log;
	s->log_ctx = log_ctx;
	s->max_bytes = max_bytes;
	s->sync_ms = sync_ms;
	/* Eight or more segments, so that acknowledged ones can be deleted long before the limit. */
	s->seg_target = max_bytes / 8;
	if (s->seg_target > (4u << 20))
		s->seg_target = 4u << 20;
	snprintf(s->dir, sizeof(s->dir), "%s/spool", state_dir);
	snprintf(cdir, sizeof(cdir), "%s/corrupt", s->dir);
	if ((mkdir(s->dir, 0750) && errno != EEXIST) || (mkdir(cdir, 0750) && errno != EEXIST)) {
		snprintf(err, errlen, "cannot create %s: %s", cdir, strerror(errno));
		free(s);
		return NULL;
	}
	{
		char lock[700];

		snprintf(lock, sizeof(lock), "%s/LOCK", s->dir);
		s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
		if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX | LOCK_NB)) {
			snprintf(err, errlen, "%s is in use by another rampartd (%s)", s->dir, strerror(errno));
			if (s->lock_fd >= 0)
				close(s->lock_fd);
			free(s);
			return NULL;
		}
	}
	if (recover(s, err, errlen)) {
		spool_close(s);
		return NULL;
	}
	if (!s->spool_id && getrandom(&s->spool_id, sizeof(s->spool_id), 0) != sizeof(s->spool_id))
		s->spool_id = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	if (s->nsegs && s->segs[s->nsegs - 1].end == s->next_seq) {
		char path[700];

		seg_path(s, s->segs[s->nsegs - 1].first, path, sizeof(path));
		s->fd = open(path, O_RDWR | O_CLOEXEC);
		s->synced = s->segs[s->nsegs - 1].bytes;
		if (s->fd < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			spool_close(s);
			return NULL;
		}
		if (s->tail_open) {
			/* Stopped while full: go on counting in the same entry, or close it if there is room. */
			s->loss_open = 1;
			s->loss_off = s->tail_off;
			s->loss_first = s->tail_first;
			s->loss_count = s->tail_count;
			s->synced = s->loss_off;
			if (s->total + SPOOL_HDR + SPOOL_REC_ENTRY + SPOOL_LOSS_ENTRY <= s->max_bytes)
				close_loss(s);
			else
				slog(s, "spool: still full at start; records from seq %llu on remain lost until a desktop "
				     "acknowledges older ones", (unsigned long long)s->loss_first);
		}
	} else if (new_segment(s)) {
		snprintf(err, errlen, "cannot create a segment in %s: %s", s->dir, strerror(errno));
		spool_close(s);
		return NULL;
	}
	return s;
}

/* ---- writing ---------------------------------------------------------------------------------- */

static struct seg *newest(struct spool *s) { return &s->segs[s->nsegs - 1]; }

/* The LOSS entry at the tail is final: mark it closed and sync it, so readers may pass it. */
static void close_loss(struct spool *s)
{
	uint8_t e[SPOOL_LOSS_ENTRY];

	encode_loss(e, s->loss_first, s->loss_count, SPOOL_LOST_FULL, 0);
	if (write_all(s->fd, e, sizeof(e), s->loss_off))
		slog(s, "spool: cannot mark the loss entry at byte offset %llu final: %s",
		     (unsigned long long)s->loss_off, strerror(errno));
	s->loss_open = 0;
	if (s->synced > s->loss_off)
		s->synced = s->loss_off;
	spool_sync(s);
}

/* The spool is full: r takes a number inside the LOSS range at the tail. */
static int lose(struct spool *s, struct record *r)
{
	struct seg *g = newest(s);
	uint8_t e[SPOOL_LOSS_ENTRY];

	if (!s->loss_open) {
		s->loss_off = g->bytes;
		s->loss_first = s->next_seq;
		s->loss_count = 0;
	}
	encode_loss(e, s->loss_first, s->loss_count + 1, SPOOL_LOST_FULL, 1);
	if (write_all(s->fd, e, sizeof(e), s->loss_off)) {
		s->write_errors++;
		return -1;
	}
	/* Rewritten in place: on disk again only after the next fsync. */
	if (s->synced > s->loss_off)
		s->synced = s->loss_off;
	if (!s->loss_open) {
		s->loss_open = 1;
		g->bytes += SPOOL_LOSS_ENTRY;
		s->total += SPOOL_LOSS_ENTRY;
		slog(s, "spool: full (%llu of %llu bytes): records from seq %llu on are lost until a desktop "
		     "acknowledges older ones", (unsigned long long)s->total, (unsigned long long)s->max_bytes,
		     (unsigned long long)s->next_seq);
	}
	s->loss_count++;
	r->seq = s->next_seq++;
	g->end = s->next_seq;
	s->lost[SPOOL_LOST_FULL]++;
	return 1;
}

int spool_append(struct spool *s, struct record *r)
{
	uint8_t e[SPOOL_REC_ENTRY];
	struct seg *g = newest(s);
	int roll = g->bytes >= s->seg_target;
	uint64_t cost = (roll ? SPOOL_HDR : 0) + SPOOL_REC_ENTRY;

	/* Room for one LOSS entry is always kept, so a full spool can still say what it lost. */
	if (s->loss_open || s->total + cost + SPOOL_LOSS_ENTRY > s->max_bytes)
		return lose(s, r);
	if (roll) {
		if (spool_sync(s) || new_segment(s)) {
			s->write_errors++;
			return -1;
		}
		g = newest(s);
	}
	r->seq = s->next_seq;
	encode_record(e, r);
	if (write_all(s->fd, e, sizeof(e), g->bytes)) {
		/* Take back a partial write, so the file still ends on an entry boundary. */
		if (ftruncate(s->fd, (off_t)g->bytes))
			slog(s, "spool: cannot take back a failed write: %s", strerror(errno));
		s->write_errors++;
		return -1;
	}
	g->bytes += SPOOL_REC_ENTRY;
	s->total += SPOOL_REC_ENTRY;
	g->end = ++s->next_seq;
	if (s->sync_ms == 0)
		spool_sync(s);
	return 0;
}

int spool_sync(struct spool *s)
{
	uint64_t b = newest(s)->bytes;

	if (s->synced >= b)
		return 0;
	if (fdatasync(s->fd)) {
		slog(s, "spool: fsync failed: %s", strerror(errno));
		return -1;
	}
	s->synced = b;
	return 0;
}

void spool_tick(struct spool *s, uint64_t now_ms)
{
	if (now_ms - s->last_sync_ms >= s->sync_ms) {
		spool_sync(s);
		s->last_sync_ms = now_ms;
	}
}

int spool_ack(struct spool *s, uint64_t through, char *err, size_t errlen)
{
	size_t del = 0, i;

	if (through >= s->next_seq) {
		snprintf(err, errlen, "acknowledges seq %llu, but the box has handed out numbers only up to %llu",
			 (unsigned long long)through, (unsigned long long)s->next_seq - 1);
		return -1;
	}
	if (through + 1 > s->acked_end)
		s->acked_end = through + 1;
	while (del + 1 < s->nsegs && s->segs[del].end <= s->acked_end) {
		char path[700];

		seg_path(s, s->segs[del].first, path, sizeof(path));
		if (unlink(path) && errno != ENOENT) {
			slog(s, "spool: cannot delete %s: %s", path, strerror(errno));
			break;
		}
		s->total -= s->segs[del].bytes;
		del++;
	}
	if (del) {
		for (i = del; i < s->nsegs; i++)
			s->segs[i - del] = s->segs[i];
		s->nsegs -= del;
		sync_dir(s->dir);
	}
	if (s->loss_open && s->total + SPOOL_HDR + SPOOL_REC_ENTRY + SPOOL_LOSS_ENTRY <= s->max_bytes) {
		close_loss(s);
		slog(s, "spool: room again after an acknowledgement; %llu records (seq %llu..%llu) were lost "
		     "because the spool was full", (unsigned long long)s->loss_count,
		     (unsigned long long)s->loss_first, (unsigned long long)(s->loss_first + s->loss_count - 1));
	}
	return (int)del;
}

/* ---- reading ---------------------------------------------------------------------------------- */

void spool_cursor_at(struct spool_cursor *c, uint64_t seq)
{
	c->next = seq;
	c->seg_first = 0;
	c->off = 0;
}

/* The LOSS item for next..: a sequence number outside every segment. */
static void hole_item(const struct spool *s, uint64_t next, uint64_t end, struct spool_item *it)
{
	size_t i;
	unsigned reason = next < s->acked_end ? SPOOL_LOST_DELETED : SPOOL_LOST_MISSING;

	for (i = 0; i < s->nholes; i++) {
		const struct hole *h = &s->holes[i];

		if (h->first <= next && next < h->end) {
			reason = SPOOL_LOST_CORRUPT;
			if (h->end < end)
				end = h->end;
		} else if (h->first > next && h->first < end) {
			end = h->first;
		}
	}
	if (reason == SPOOL_LOST_DELETED && s->acked_end < end)
		end = s->acked_end;
	memset(it, 0, sizeof(*it));
	it->loss = 1;
	it->first = next;
	it->count = end - next;
	it->reason = reason;
}

/* Reads items from segment i; returns how many were added to out. */
static int read_segment(struct spool *s, size_t i, struct spool_cursor *c, struct spool_item *out, int max)
{
	static uint8_t buf[1 << 16];
	const struct seg *g = &s->segs[i];
	uint64_t lim = g->bytes, off;
	char path[700];
	int fd, n = 0;

	if (i + 1 == s->nsegs) {
		lim = s->synced < lim ? s->synced : lim;
		if (s->loss_open && s->loss_off < lim)
			lim = s->loss_off;
	}
	off = c->seg_first == g->first && c->off >= SPOOL_HDR ? c->off : SPOOL_HDR;
	if (off >= lim)
		return 0;
	seg_path(s, g->first, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto damaged;
	while (off < lim && n < max) {
		size_t want = lim - off < sizeof(buf) ? (size_t)(lim - off) : sizeof(buf), p = 0;
		ssize_t got = pread(fd, buf, want, (off_t)off);

		if (got <= 0)
			break;
		while (p < (size_t)got && n < max) {
			size_t len = (size_t)got - p >= ENTRY_MIN ? rl_get16(buf + p + 4) : 0;
			uint64_t seq, end;

			if (len && p + len > (size_t)got && len <= sizeof(buf))
				break;  /* the rest of this entry comes with the next read */
			if (!entry_ok(buf + p, (size_t)got - p)) {
				close(fd);
				goto damaged;
			}
			seq = rl_get64(buf + p + 8);
			end = entry_end(buf + p);
			if (end > c->next) {
				if (seq > c->next) {
					close(fd);
					goto damaged;
				}
				memset(&out[n], 0, sizeof(out[n]));
				if (buf[p + 6] == T_RECORD) {
					decode_record(buf + p, &out[n].rec);
				} else {
					out[n].loss = 1;
					out[n].first = c->next;
					out[n].count = end - c->next;
					out[n].reason = rl_get16(buf + p + 24);
				}
				n++;
				c->next = end;
			}
			p += len;
		}
		if (!p)
			break;
		off += p;
	}
	close(fd);
	c->seg_first = g->first;
	c->off = off;
	return n;
damaged:
	/* The file changed under us after recovery checked it: say so instead of stopping here. */
	slog(s, "spool: segment %s failed its checks while being read; records %llu..%llu reported lost",
	     path, (unsigned long long)c->next, (unsigned long long)g->end - 1);
	memset(&out[n], 0, sizeof(out[n]));
	out[n].loss = 1;
	out[n].first = c->next;
	out[n].count = g->end - c->next;
	out[n].reason = SPOOL_LOST_CORRUPT;
	c->next = g->end;
	c->off = 0;
	return n + 1;
}

int spool_read(struct spool *s, struct spool_cursor *c, struct spool_item *out, int max)
{
	int n = 0;

	while (n < max && c->next < s->next_seq) {
		size_t i = s->nsegs;
		uint64_t before = c->next;
		int got;

		while (i > 0 && s->segs[i - 1].first > c->next)
			i--;
		if (i == 0 || c->next >= s->segs[i - 1].end) {
			uint64_t end = i < s->nsegs ? s->segs[i].first : s->next_seq;

			if (i == s->nsegs)
				break; /* numbers of the newest segment not yet readable */
			hole_item(s, c->next, end, &out[n++]);
			c->next = out[n - 1].first + out[n - 1].count;
			c->off = 0;
			continue;
		}
		got = read_segment(s, i - 1, c, out + n, max - n);
		n += got;
		if (c->next == before)
			break; /* the rest is not on disk yet */
	}
	return n;
}

void spool_stats(const struct spool *s, struct spool_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->spool_id = s->spool_id;
	st->next_seq = s->next_seq;
	st->oldest_seq = s->nsegs ? s->segs[0].first : s->next_seq;
	st->acked_end = s->acked_end;
	st->bytes = s->total;
	st->max_bytes = s->max_bytes;
	memcpy(st->lost, s->lost, sizeof(st->lost));
	st->write_errors = s->write_errors;
	st->segments = (uint32_t)s->nsegs;
	st->quarantined = s->quarantined;
}

void spool_close(struct spool *s)
{
	if (!s)
		return;
	if (s->fd >= 0) {
		if (s->nsegs)
			spool_sync(s);
		close(s->fd);
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->segs);
	free(s);
}
