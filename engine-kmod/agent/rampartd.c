// SPDX-License-Identifier: GPL-2.0-only
/*
 * rampartd: the box agent. Serves docs/protocol.md on a local unix socket, on ttys (with a text
 * mode for a technician) and on stdio (for `ssh box rampartd --stdio`, relayed to the running
 * daemon so that tables, uploads and confirm deadlines outlive one SSH connection).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>
#include <zlib.h>

#include "box.h"
#include "ipfix.h"
#include "link.h"
#include "spool.h"

#define AGENT_VERSION "rampartd 0.1.0"
#define MAX_CONNS 32
#define MAX_UPLOADS 4
#define UPLOAD_TTL_MS (10 * 60 * 1000)
#define TEXT_IDLE_MS 30000
#define TEXT_RECLAIM_MS 2000
#define OUT_LIMIT (16u << 20)

enum { M_STATUS = 1, M_LOAD_BEGIN, M_LOAD_CHUNK, M_LOAD_COMMIT, M_CONFIRM, M_ROLLBACK, M_COUNTERS,
       M_SUBSCRIBE, M_PING, M_LOAD_ABORT, M_SUBSCRIBE_FROM, M_ACK, M_SUBSCRIBE_FLOWS, M_SUBSCRIBE_NAMED };
enum { RS_OK = 0x80, RS_STATUS = 0x81, RS_LOAD_OFFSET = 0x82, RS_LOADED = 0x84, RS_COUNTERS = 0x87,
       RS_PONG = 0x89, RS_SUBSCRIBED = 0x8B, RS_ACKED = 0x8C, RS_RECORDS = 0xC0, RS_LOSS = 0xC1,
       RS_FLOWS = 0xC2, RS_NAMED_FLOWS = 0xC3,
       RS_ERROR = 0xFF };
enum { E_UNKNOWN = 1, E_MALFORMED, E_NO_UPLOAD, E_OFFSET, E_INFLATE, E_VERIFY, E_CONFIRM,
       E_NO_ROLLBACK, E_BACKEND, E_BUSY, E_SEQ_RANGE };
enum peer_kind { PEER_LOCAL = 0, PEER_SSH = 1, PEER_SERIAL = 2 };
enum conn_kind { C_UNIX, C_TTY, C_STDIO };

struct upload {
	uint64_t id, last_ms;
	uint32_t csize, rsize, rcrc, confirm_s, have;
	uint8_t *buf;
};

struct conn {
	int used, kind, in_fd, out_fd;
	struct rl_link link;
	int text;                   /* tty in text mode */
	char line[256];
	size_t line_len;
	int preamble;               /* unix: a PEER line may come first */
	char pre[256];
	size_t pre_len;
	uint64_t last_frame_ms, frames_seen;
	int subscribed;
	int spool_mode;             /* 1: SUBSCRIBE_FROM, LOSS items too; 2: SUBSCRIBE_FLOWS, FLOWS items;
	                               3: SUBSCRIBE_NAMED, NAMED_FLOWS items (with interface names) */
	struct spool_cursor cur;
	int peer_kind;
	char peer_caddr[64], peer_saddr[64];
	uint16_t peer_cport, peer_sport;
	uint8_t *out;
	size_t out_len, out_cap;
	int closing;
};

static struct box box;
static struct ipfix ipfix;
static struct conn conns[MAX_CONNS];
static struct upload uploads[MAX_UPLOADS];
static const char *tty_banner = "\r\nRampart box agent (" AGENT_VERSION "). Type 'help'.\r\n";
static volatile sig_atomic_t stop;

static void logf_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "rampartd: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- output buffering: a slow or stuck peer never blocks the agent --------------------------- */

static void conn_out(struct conn *c, const void *p, size_t n)
{
	if (c->closing)
		return;
	if (c->out_len + n > OUT_LIMIT) {
		logf_("peer not reading: closing its connection");
		c->closing = 1;
		return;
	}
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 65536;

		while (cap < c->out_len + n)
			cap *= 2;
		c->out = realloc(c->out, cap);
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static void conn_flush(struct conn *c)
{
	while (c->out_len) {
		ssize_t w = write(c->out_fd, c->out, c->out_len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				c->closing = 2;
			return;
		}
		memmove(c->out, c->out + w, c->out_len - (size_t)w);
		c->out_len -= (size_t)w;
	}
}

static void text_out(struct conn *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		conn_out(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* ---- message building ----------------------------------------------------------------------- */

struct mb {
	uint8_t *p;
	size_t len, cap;
};

static void mb_need(struct mb *m, size_t n)
{
	if (m->len + n > m->cap) {
		size_t cap = m->cap ? m->cap : 256;

		while (cap < m->len + n)
			cap *= 2;
		m->p = realloc(m->p, cap);
		m->cap = cap;
	}
}

static void mb_u8(struct mb *m, uint8_t v) { mb_need(m, 1); m->p[m->len++] = v; }
static void mb_u16(struct mb *m, uint16_t v) { mb_need(m, 2); rl_put16(m->p + m->len, v); m->len += 2; }
static void mb_u32(struct mb *m, uint32_t v) { mb_need(m, 4); rl_put32(m->p + m->len, v); m->len += 4; }
static void mb_u64(struct mb *m, uint64_t v) { mb_need(m, 8); rl_put64(m->p + m->len, v); m->len += 8; }
static void mb_bytes(struct mb *m, const void *p, size_t n) { mb_need(m, n); memcpy(m->p + m->len, p, n); m->len += n; }
static void mb_str(struct mb *m, const char *s)
{
	size_t n = strlen(s);

	mb_u16(m, (uint16_t)n);
	mb_bytes(m, s, n);
}

static void mb_start(struct mb *m, uint8_t type, uint32_t id)
{
	m->len = 0;
	mb_u8(m, type);
	mb_u32(m, id);
}

static void send_mb(struct conn *c, struct mb *m)
{
	rl_send(&c->link, m->p, m->len, mono_ms());
	free(m->p);
	m->p = NULL;
	m->cap = m->len = 0;
}

static void send_error(struct conn *c, uint32_t id, uint16_t code, const char *fmt, ...)
{
	struct mb m = { 0 };
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	mb_start(&m, RS_ERROR, id);
	mb_u16(&m, code);
	mb_str(&m, text);
	send_mb(c, &m);
}

static void send_ok(struct conn *c, uint32_t id)
{
	struct mb m = { 0 };

	mb_start(&m, RS_OK, id);
	mb_u64(&m, box.running ? box.running->generation : 0);
	send_mb(c, &m);
}

/* ---- requests ------------------------------------------------------------------------------- */

static struct upload *find_upload(uint64_t id)
{
	int i;

	for (i = 0; i < MAX_UPLOADS; i++)
		if (uploads[i].buf && uploads[i].id == id)
			return &uploads[i];
	return NULL;
}

static void drop_upload(struct upload *u)
{
	free(u->buf);
	memset(u, 0, sizeof(*u));
}

static void send_offset(struct conn *c, uint32_t id, const struct upload *u)
{
	struct mb m = { 0 };

	mb_start(&m, RS_LOAD_OFFSET, id);
	mb_u64(&m, u->id);
	mb_u32(&m, u->have);
	send_mb(c, &m);
}

static void status_msg(struct conn *c, struct mb *m, uint32_t id)
{
	uint64_t now = mono_ms();
	struct rl_stats *s = &c->link.stats;

	mb_start(m, RS_STATUS, id);
	mb_str(m, AGENT_VERSION);
	mb_str(m, box.nl ? "kernel" : "sim");
	mb_u64(m, box.running ? box.running->generation : 0);
	mb_u8(m, (uint8_t)box_state(&box));
	mb_u64(m, box.confirmed ? box.confirmed->generation : 0);
	mb_u32(m, box_state(&box) == BOX_PROBATION && box.deadline_ms > now
		  ? (uint32_t)((box.deadline_ms - now + 999) / 1000) : 0);
	mb_u32(m, box_rule_count(box.running));
	mb_u64(m, now - box.started_ms);
	mb_u8(m, (uint8_t)c->peer_kind);
	mb_str(m, c->peer_caddr);
	mb_u16(m, c->peer_cport);
	mb_str(m, c->peer_saddr);
	mb_u16(m, c->peer_sport);
	mb_u32(m, s->rx_bad_header);
	mb_u32(m, s->rx_bad_crc);
	mb_u32(m, s->rx_malformed);
	mb_u32(m, s->retransmits);
	mb_str(m, box.last_event);
	if (box.spool) {
		struct spool_stats st;

		/* Appended after the original fields: older desktops stop reading before them. */
		spool_stats(box.spool, &st);
		mb_u64(m, st.spool_id);
		mb_u64(m, st.next_seq);
		mb_u64(m, st.oldest_seq);
		mb_u64(m, st.acked_end);
		mb_u64(m, st.bytes);
		mb_u64(m, st.max_bytes);
		mb_u64(m, st.lost[SPOOL_LOST_FULL]);
		mb_u64(m, st.write_errors);
		mb_u32(m, st.segments);
		mb_u32(m, st.quarantined);
		/* Then, from an agent reading the kernel's flow log, its counters since start. */
		if (box.flows) {
			mb_u64(m, box.fl.records);
			mb_u64(m, box.fl.exports);
			mb_u64(m, box.fl.lost[0]);
			mb_u64(m, box.fl.lost[1]);
			mb_u64(m, box.fl.lost[2]);
			mb_u64(m, box.fl.overruns);
		}
	}
}

static void load_commit(struct conn *c, uint32_t id, struct upload *u)
{
	uLongf rawlen = u->rsize;
	uint8_t *raw;
	char err[300];
	int zr;
	struct mb m = { 0 };

	if (u->have != u->csize) {
		send_error(c, id, E_OFFSET, "upload incomplete: %u of %u bytes", u->have, u->csize);
		return;
	}
	raw = malloc(u->rsize ? u->rsize : 1);
	zr = raw ? uncompress(raw, &rawlen, u->buf, u->csize) : Z_MEM_ERROR;
	if (zr != Z_OK || rawlen != u->rsize || rl_crc32c(raw, rawlen) != u->rcrc) {
		free(raw);
		send_error(c, id, E_INFLATE, zr != Z_OK ? "decompression failed (zlib error %d)"
			   : "decompressed table does not match its announced size or CRC-32C", zr);
		drop_upload(u);
		return;
	}
	zr = box_load(&box, raw, rawlen, u->confirm_s, mono_ms(), err, sizeof(err));
	if (zr) {
		send_error(c, id, zr == -2 ? E_BUSY : E_VERIFY, "%s", err);
		drop_upload(u);
		return;
	}
	logf_("%s", box.last_event);
	mb_start(&m, RS_LOADED, id);
	mb_u64(&m, box.running->generation);
	mb_u32(&m, box_rule_count(box.running));
	mb_u32(&m, u->confirm_s);
	send_mb(c, &m);
	drop_upload(u);
}

static void handle_message(void *ctx, const uint8_t *p, size_t n)
{
	struct conn *c = ctx;
	uint8_t type;
	uint32_t id;
	const uint8_t *b;
	size_t bn;
	struct mb m = { 0 };
	char err[300];

	if (n < 5) {
		send_error(c, 0, E_MALFORMED, "message shorter than its 5-byte head");
		return;
	}
	type = p[0];
	id = rl_get32(p + 1);
	b = p + 5;
	bn = n - 5;
	switch (type) {
	case M_STATUS:
		status_msg(c, &m, id);
		send_mb(c, &m);
		return;
	case M_PING:
		mb_start(&m, RS_PONG, id);
		mb_bytes(&m, b, bn);
		send_mb(c, &m);
		return;
	case M_LOAD_BEGIN: {
		uint64_t uid;
		struct upload *u;
		int i, oldest = 0;

		if (bn != 24)
			break;
		uid = rl_get64(b);
		u = find_upload(uid);
		if (u && (u->csize != rl_get32(b + 8) || u->rsize != rl_get32(b + 12))) {
			drop_upload(u);
			u = NULL;
		}
		if (!u) {
			uint32_t cs = rl_get32(b + 8), rs = rl_get32(b + 12);

			if (cs == 0 || cs > (64u << 20) || rs == 0 || rs > (256u << 20)) {
				send_error(c, id, E_MALFORMED, "upload sizes out of range");
				return;
			}
			for (i = 0; i < MAX_UPLOADS; i++) {
				if (!uploads[i].buf)
					break;
				if (uploads[i].last_ms < uploads[oldest].last_ms)
					oldest = i;
			}
			if (i == MAX_UPLOADS) {
				drop_upload(&uploads[oldest]);
				i = oldest;
			}
			u = &uploads[i];
			u->buf = malloc(cs);
			if (!u->buf) {
				send_error(c, id, E_BUSY, "out of memory for the upload");
				return;
			}
			u->id = uid;
			u->csize = cs;
			u->rsize = rs;
			u->have = 0;
		}
		u->rcrc = rl_get32(b + 16);
		u->confirm_s = rl_get32(b + 20);
		u->last_ms = mono_ms();
		send_offset(c, id, u);
		return;
	}
	case M_LOAD_CHUNK: {
		struct upload *u;
		uint32_t off, len;

		if (bn < 12)
			break;
		u = find_upload(rl_get64(b));
		if (!u) {
			send_error(c, id, E_NO_UPLOAD, "unknown upload (expired or never begun)");
			return;
		}
		off = rl_get32(b + 8);
		len = (uint32_t)(bn - 12);
		if (off != u->have || len > u->csize - u->have) {
			send_error(c, id, E_OFFSET, "chunk at %u does not continue the upload at %u", off, u->have);
			return;
		}
		memcpy(u->buf + off, b + 12, len);
		u->have += len;
		u->last_ms = mono_ms();
		send_offset(c, id, u);
		return;
	}
	case M_LOAD_COMMIT: {
		struct upload *u;

		if (bn != 8)
			break;
		u = find_upload(rl_get64(b));
		if (!u) {
			send_error(c, id, E_NO_UPLOAD, "unknown upload (expired or never begun)");
			return;
		}
		load_commit(c, id, u);
		return;
	}
	case M_LOAD_ABORT: {
		struct upload *u;

		if (bn != 8)
			break;
		u = find_upload(rl_get64(b));
		if (u)
			drop_upload(u);
		send_ok(c, id);
		return;
	}
	case M_CONFIRM:
		if (bn != 8)
			break;
		if (box_confirm(&box, rl_get64(b), err, sizeof(err))) {
			send_error(c, id, box_state(&box) == BOX_CONFIRMED && strstr(err, "persist")
				   ? E_BACKEND : E_CONFIRM, "%s", err);
			return;
		}
		logf_("%s", box.last_event);
		send_ok(c, id);
		return;
	case M_ROLLBACK:
		if (box_rollback(&box, err, sizeof(err))) {
			send_error(c, id, E_NO_ROLLBACK, "%s", err);
			return;
		}
		logf_("%s", box.last_event);
		send_ok(c, id);
		return;
	case M_COUNTERS: {
		struct table *t;

		box_refresh_counters(&box);
		t = box.running;
		uint32_t i, nr = box_rule_count(t);

		mb_start(&m, RS_COUNTERS, id);
		mb_u64(&m, t ? t->generation : 0);
		mb_u32(&m, nr);
		for (i = 0; i < nr; i++) {
			mb_u32(&m, box_rule_id(t, i));
			mb_u32(&m, i);
			mb_u64(&m, t->ctr[i].packets);
			mb_u64(&m, t->ctr[i].bytes);
			mb_u64(&m, t->ctr[i].last_hit_ms);
		}
		send_mb(c, &m);
		return;
	}
	case M_SUBSCRIBE: {
		struct spool_stats st;

		if (bn != 1)
			break;
		c->subscribed = b[0] != 0;
		c->spool_mode = 0;
		if (box.spool) {
			spool_stats(box.spool, &st);
			spool_cursor_at(&c->cur, st.next_seq);
		}
		send_ok(c, id);
		return;
	}
	case M_SUBSCRIBE_FROM:
	case M_SUBSCRIBE_FLOWS:
	case M_SUBSCRIBE_NAMED: {
		struct spool_stats st;
		uint64_t from;

		if (bn != 8)
			break;
		if (!box.spool) {
			send_error(c, id, E_BACKEND, "this agent runs without a spool");
			return;
		}
		from = rl_get64(b);
		spool_stats(box.spool, &st);
		if (from > st.next_seq) {
			send_error(c, id, E_SEQ_RANGE, "records from seq %llu asked for, but this box's next seq is "
				   "%llu (spool %016llx): was its spool reset?", (unsigned long long)from,
				   (unsigned long long)st.next_seq, (unsigned long long)st.spool_id);
			return;
		}
		c->subscribed = 1;
		c->spool_mode = type == M_SUBSCRIBE_NAMED ? 3 : type == M_SUBSCRIBE_FLOWS ? 2 : 1;
		spool_cursor_at(&c->cur, from);
		mb_start(&m, RS_SUBSCRIBED, id);
		mb_u64(&m, st.spool_id);
		mb_u64(&m, st.oldest_seq);
		mb_u64(&m, st.next_seq);
		send_mb(c, &m);
		return;
	}
	case M_ACK: {
		struct spool_stats st;
		int del;

		if (bn != 8)
			break;
		if (!box.spool) {
			send_error(c, id, E_BACKEND, "this agent runs without a spool");
			return;
		}
		del = spool_ack(box.spool, rl_get64(b), err, sizeof(err));
		if (del < 0) {
			send_error(c, id, E_SEQ_RANGE, "%s", err);
			return;
		}
		spool_stats(box.spool, &st);
		mb_start(&m, RS_ACKED, id);
		mb_u64(&m, st.oldest_seq);
		mb_u32(&m, (uint32_t)del);
		send_mb(c, &m);
		return;
	}
	default:
		send_error(c, id, E_UNKNOWN, "unknown request type 0x%02x", type);
		return;
	}
	send_error(c, id, E_MALFORMED, "malformed body for request type 0x%02x (%zu bytes)", type, bn);
}

static void flush_records(struct conn *c, struct mb *m, uint32_t *n)
{
	if (!*n)
		return;
	rl_put32(m->p + 5, *n);
	send_mb(c, m);
	*n = 0;
}

/* Streams the spool from the connection's cursor, in sequence order, while the peer keeps up. */
static void push_records(struct conn *c)
{
	static struct spool_item it[256];
	struct mb m = { 0 };
	uint32_t n = 0;
	int k, i;

	if (!c->subscribed || !c->link.session || !box.spool)
		return;
	while (rl_queued(&c->link) < 65536 && (k = spool_read(box.spool, &c->cur, it, 256)) > 0) {
		for (i = 0; i < k; i++) {
			const struct record *r = &it[i].rec;

			if (it[i].loss) {
				flush_records(c, &m, &n);
				/* The original SUBSCRIBE has no LOSS item: those peers see the gap. */
				if (!c->spool_mode)
					continue;
				mb_start(&m, RS_LOSS, 0);
				mb_u64(&m, it[i].first);
				mb_u64(&m, it[i].count);
				mb_u16(&m, (uint16_t)it[i].reason);
				mb_str(&m, spool_reason_name(it[i].reason));
				send_mb(c, &m);
				continue;
			}
			if (!n) {
				mb_start(&m, c->spool_mode == 3 ? RS_NAMED_FLOWS
					     : c->spool_mode == 2 ? RS_FLOWS : RS_RECORDS, 0);
				mb_u32(&m, 0);
			}
			mb_u64(&m, r->seq);
			mb_u64(&m, r->time_ms);
			mb_u8(&m, r->hook);
			mb_u8(&m, r->verdict);
			mb_u8(&m, r->proto);
			mb_u8(&m, r->v4);
			mb_bytes(&m, r->src, 16);
			mb_bytes(&m, r->dst, 16);
			mb_u16(&m, r->sport);
			mb_u16(&m, r->dport);
			mb_u32(&m, r->rule_id);
			mb_u64(&m, r->generation);
			if (c->spool_mode >= 2) {
				mb_u64(&m, r->packets);
				mb_u64(&m, r->bytes);
				mb_u64(&m, r->first_ms);
				mb_u64(&m, r->last_ms);
				mb_u32(&m, r->in_if);
				mb_u32(&m, r->out_if);
				mb_u16(&m, r->tcp_flags);
			}
			if (c->spool_mode == 3) {
				mb_str(&m, r->in_name);
				mb_str(&m, r->out_name);
			}
			n++;
		}
		flush_records(c, &m, &n);
	}
	free(m.p);
}

/* ---- link callbacks -------------------------------------------------------------------------- */

static void cb_write(void *ctx, const uint8_t *p, size_t n) { conn_out(ctx, p, n); }
static void cb_session(void *ctx)
{
	struct conn *c = ctx;

	c->subscribed = 0;
}
static void cb_error(void *ctx, int code, const char *text) { logf_("peer reported link error %d: %s", code, text); }
static void text_prompt(struct conn *c);
static void cb_bye(void *ctx)
{
	struct conn *c = ctx;

	if (c->kind == C_TTY) {
		c->text = 1;
		conn_out(c, tty_banner, strlen(tty_banner));
		text_prompt(c);
	} else {
		c->closing = 1;
	}
}
static void cb_dead(void *ctx)
{
	struct conn *c = ctx;

	logf_("link timeout: the peer stopped acknowledging");
	c->subscribed = 0;
}

/* ---- text mode (tty) -------------------------------------------------------------------------- */

static const char *state_name(enum box_state s)
{
	return s == BOX_EMPTY ? "no table (everything accepted)" : s == BOX_CONFIRMED ? "confirmed"
								: "awaiting confirm";
}

static void text_prompt(struct conn *c) { conn_out(c, "rampart> ", 9); }

static void fmt_addr(char *out, size_t n, const uint8_t a[16])
{
	snprintf(out, n, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
}

static void text_command(struct conn *c, char *line)
{
	char *cmd = strtok(line, " \t"), *arg = strtok(NULL, " \t"), err[300], name[128];
	uint64_t now = mono_ms();
	struct table *t = box.running;
	uint32_t i;

	if (!cmd) {
		return;
	} else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
		text_out(c, "commands:\r\n"
			 "  status      running table, confirm deadline, uptime\r\n"
			 "  rules       rules of the running table\r\n"
			 "  counters    packets, bytes and last hit per rule\r\n"
			 "  confirm     keep the table that is awaiting confirmation\r\n"
			 "  rollback    revert to the previous confirmed table\r\n"
			 "  tail [n]    the last n flow records (default 10)\r\n"
			 "  help        this list\r\n");
	} else if (!strcmp(cmd, "status")) {
		text_out(c, "agent     %s, backend %s, up %llu s\r\n", AGENT_VERSION, box.nl ? "kernel" : "sim",
			 (unsigned long long)((now - box.started_ms) / 1000));
		text_out(c, "table     %s", state_name(box_state(&box)));
		if (t)
			text_out(c, ", generation %016llx, %u rules", (unsigned long long)t->generation,
				 box_rule_count(t));
		text_out(c, "\r\n");
		if (box_state(&box) == BOX_PROBATION)
			text_out(c, "deadline  reverts in %llu s unless confirmed\r\n",
				 (unsigned long long)(box.deadline_ms > now ? (box.deadline_ms - now + 999) / 1000 : 0));
		if (box.last_event[0])
			text_out(c, "last      %s\r\n", box.last_event);
		{
			char ix[1024];

			ipfix_status(&ipfix, ix, sizeof(ix));
			text_out(c, "ipfix     %s\r\n", ix);
		}
		if (box.spool) {
			struct spool_stats st;

			spool_stats(box.spool, &st);
			text_out(c, "spool     seq %llu..%llu kept, %llu of %llu bytes, %llu records lost (spool full)\r\n",
				 (unsigned long long)st.oldest_seq, (unsigned long long)st.next_seq,
				 (unsigned long long)st.bytes, (unsigned long long)st.max_bytes,
				 (unsigned long long)st.lost[SPOOL_LOST_FULL]);
		}
		if (box.flows)
			text_out(c, "flows     kernel: %llu records in %llu exports; lost in the kernel: %llu packets "
				 "(table full), %llu records (no listener), %llu (send failed); %llu socket overruns\r\n",
				 (unsigned long long)box.fl.records, (unsigned long long)box.fl.exports,
				 (unsigned long long)box.fl.lost[0], (unsigned long long)box.fl.lost[1],
				 (unsigned long long)box.fl.lost[2], (unsigned long long)box.fl.overruns);
	} else if (!strcmp(cmd, "rules") || !strcmp(cmd, "counters")) {
		int counters = cmd[0] == 'c';

		if (!t) {
			text_out(c, "no table loaded\r\n");
		} else {
			for (i = 0; i < box_rule_count(t); i++) {
				const char *nm = box_rule_name(t, i, name, sizeof(name));
				const uint8_t *r = t->t.sec[RAMPART_SEC_RULES] + 8 * (size_t)i;
				static const char *verdicts[] = { "accept", "drop", "reject" };

				text_out(c, "%4u  %-24s %-7s", i, nm ? nm : "(unnamed)", r[4] < 3 ? verdicts[r[4]] : "?");
				if (counters)
					text_out(c, " %10llu pkts %12llu bytes%s", (unsigned long long)t->ctr[i].packets,
						 (unsigned long long)t->ctr[i].bytes,
						 t->ctr[i].last_hit_ms ? "" : "  never hit");
				text_out(c, "\r\n");
			}
		}
	} else if (!strcmp(cmd, "confirm")) {
		if (box_state(&box) != BOX_PROBATION)
			text_out(c, "nothing awaits confirmation\r\n");
		else if (box_confirm(&box, box.running->generation, err, sizeof(err)))
			text_out(c, "error: %s\r\n", err);
		else
			text_out(c, "%s\r\n", box.last_event);
	} else if (!strcmp(cmd, "rollback")) {
		if (box_rollback(&box, err, sizeof(err)))
			text_out(c, "error: %s\r\n", err);
		else
			text_out(c, "%s\r\n", box.last_event);
	} else if (!strcmp(cmd, "tail")) {
		uint64_t want = arg ? strtoull(arg, NULL, 10) : 10, s;
		static const char *hooks[] = { "input", "forward", "output" };
		static const char *verdicts[] = { "accept", "drop", "reject" };

		if (want > 100)
			want = 100;
		s = box.rec_seq > want ? box.rec_seq - want : 0;
		for (; s < box.rec_seq; s++) {
			const struct record *r = &box.rec[s % BOX_RECORDS];
			char a[48], d[48];

			fmt_addr(a, sizeof(a), r->src);
			fmt_addr(d, sizeof(d), r->dst);
			text_out(c, "#%-7llu %-7s %-6s proto %-3u %s:%u -> %s:%u rule %08x pkts %llu bytes %llu\r\n",
				 (unsigned long long)r->seq, hooks[r->hook % 3], verdicts[r->verdict % 3],
				 r->proto, a, r->sport, d, r->dport, r->rule_id, (unsigned long long)r->packets,
				 (unsigned long long)r->bytes);
		}
	} else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit")) {
		conn_out(c, tty_banner, strlen(tty_banner));
	} else {
		text_out(c, "unknown command '%s'; type 'help'\r\n", cmd);
	}
}

/* Feeds tty bytes: text until a frame's sync byte, then the link. */
static void tty_input(struct conn *c, const uint8_t *p, size_t n, uint64_t now)
{
	size_t i;

	if (!c->text) {
		/* A desktop that left without its BYE reaching us must not leave a technician facing a
		 * silent line: text with no frame for 2 s brings the prompt back. */
		if (since(now, c->last_frame_ms) > TEXT_RECLAIM_MS && !memchr(p, RL_SYNC0, n)
		    && (memchr(p, '\r', n) || memchr(p, '\n', n))) {
			c->text = 1;
			c->link.session = 0;
		} else {
			rl_input(&c->link, p, n, now);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		uint8_t ch = p[i];

		if (ch == RL_SYNC0) {
			c->text = 0;
			c->line_len = 0;
			c->last_frame_ms = now;
			c->frames_seen = c->link.stats.rx_frames;
			rl_input(&c->link, p + i, n - i, now);
			return;
		}
		if (ch == '\r' || ch == '\n') {
			if (ch == '\n' && i > 0 && p[i - 1] == '\r')
				continue;
			conn_out(c, "\r\n", 2);
			c->line[c->line_len] = 0;
			text_command(c, c->line);
			c->line_len = 0;
			text_prompt(c);
		} else if (ch == 0x7f || ch == 0x08) {
			if (c->line_len) {
				c->line_len--;
				conn_out(c, "\b \b", 3);
			}
		} else if (ch >= 0x20 && ch < 0x7f && c->line_len < sizeof(c->line) - 1) {
			c->line[c->line_len++] = (char)ch;
			conn_out(c, &ch, 1);
		}
	}
}

/* ---- connections ----------------------------------------------------------------------------- */

static struct conn *conn_new(int kind, int in_fd, int out_fd)
{
	static const struct rl_callbacks cb = { cb_write, handle_message, cb_session, cb_error, cb_bye, cb_dead };
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->kind = kind;
		c->in_fd = in_fd;
		c->out_fd = out_fd;
		if (rl_init(&c->link, 0, &cb, c)) {
			rl_free(&c->link);
			c->used = 0;
			return NULL;
		}
		fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
		fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
		return c;
	}
	return NULL;
}

static void conn_close(struct conn *c)
{
	rl_free(&c->link);
	free(c->out);
	if (c->kind == C_UNIX)
		close(c->in_fd);
	c->used = 0;
}

/* "PEER ssh CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT": written by `rampartd --stdio`. */
static void parse_peer(struct conn *c, char *line)
{
	char kind[16] = "", ca[64] = "", sa[64] = "";
	unsigned cp = 0, sp = 0;

	if (sscanf(line, "PEER %15s %63s %u %63s %u", kind, ca, &cp, sa, &sp) == 5 && !strcmp(kind, "ssh")) {
		c->peer_kind = PEER_SSH;
		snprintf(c->peer_caddr, sizeof(c->peer_caddr), "%s", ca);
		snprintf(c->peer_saddr, sizeof(c->peer_saddr), "%s", sa);
		c->peer_cport = (uint16_t)cp;
		c->peer_sport = (uint16_t)sp;
	}
}

static void conn_input(struct conn *c, const uint8_t *p, size_t n, uint64_t now)
{
	if (c->preamble) {
		while (n && c->preamble) {
			if (c->pre_len == 0 && p[0] != 'P') {
				c->preamble = 0;
				break;
			}
			if (p[0] == '\n' || c->pre_len == sizeof(c->pre) - 1) {
				c->pre[c->pre_len] = 0;
				parse_peer(c, c->pre);
				c->preamble = 0;
			} else {
				c->pre[c->pre_len++] = (char)p[0];
			}
			p++;
			n--;
		}
		if (!n)
			return;
	}
	if (c->kind == C_TTY)
		tty_input(c, p, n, now);
	else
		rl_input(&c->link, p, n, now);
}

static int peer_allowed(int fd, gid_t group, int have_group)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return 0;
	if (cr.uid == 0 || cr.uid == geteuid())
		return 1;
	if (have_group) {
		struct passwd *pw = getpwuid(cr.uid);
		gid_t groups[256];
		int ng = 256, i;

		if (cr.gid == group)
			return 1;
		if (pw && getgrouplist(pw->pw_name, pw->pw_gid, groups, &ng) >= 0)
			for (i = 0; i < ng; i++)
				if (groups[i] == group)
					return 1;
	}
	return 0;
}

static int open_socket(const char *path, const char *group_name, gid_t *gid, int *have_group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	mode_t old;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		logf_("socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	{
		char dir[sizeof(sa.sun_path)], *slash;

		strcpy(dir, path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			mkdir(dir, 0755);
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		umask(old);
		logf_("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	*have_group = 0;
	if (group_name) {
		struct group *g = getgrnam(group_name);

		if (!g) {
			logf_("unknown group '%s' for the local socket", group_name);
			close(fd);
			return -1;
		}
		*gid = g->gr_gid;
		*have_group = 1;
		if (chown(path, (uid_t)-1, g->gr_gid))
			logf_("cannot give %s to group %s: %s", path, group_name, strerror(errno));
		chmod(path, 0660);
	} else {
		chmod(path, 0600);
	}
	return fd;
}

static speed_t baud_const(unsigned baud)
{
	switch (baud) {
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	case 460800: return B460800;
	case 921600: return B921600;
	default: return 0;
	}
}

static int open_tty(const char *dev, unsigned baud, const char *parity)
{
	struct termios tio;
	speed_t sp = baud_const(baud);
	int fd;

	if (!sp) {
		logf_("unsupported baud rate %u (use 9600..921600)", baud);
		return -1;
	}
	fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		logf_("cannot open %s: %s", dev, strerror(errno));
		return -1;
	}
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		cfsetispeed(&tio, sp);
		cfsetospeed(&tio, sp);
		tio.c_cflag |= CLOCAL | CREAD;
		tio.c_cflag &= ~(PARENB | PARODD);
		if (!strcmp(parity, "even"))
			tio.c_cflag |= PARENB;
		else if (!strcmp(parity, "odd"))
			tio.c_cflag |= PARENB | PARODD;
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &tio);
	}
	return fd;
}

/* `rampartd --stdio`: hands the SSH session to the running daemon, telling it who connected. */
static int relay(const char *sock_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *ssh = getenv("SSH_CONNECTION");
	char pre[300];
	uint8_t buf[65536];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct pollfd pf[2];
	int in_open = 1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "rampartd: the agent is not running on this box (no socket at %s: %s); "
			"start it with 'rampartd --backend=sim' or its service\n", sock_path, strerror(errno));
		return 1;
	}
	if (ssh) {
		int n = snprintf(pre, sizeof(pre), "PEER ssh %s\n", ssh);

		if (write(fd, pre, (size_t)n) != n)
			return 1;
	}
	for (;;) {
		pf[0].fd = in_open ? 0 : -1;
		pf[0].events = POLLIN;
		pf[1].fd = fd;
		pf[1].events = POLLIN;
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pf[0].revents) {
			ssize_t r = read(0, buf, sizeof(buf));

			if (r <= 0) {
				shutdown(fd, SHUT_WR);
				in_open = 0;
			} else if (write(fd, buf, (size_t)r) != r) {
				return 1;
			}
		}
		if (pf[1].revents) {
			ssize_t r = read(fd, buf, sizeof(buf)), off = 0;

			if (r <= 0)
				return 0;
			while (off < r) {
				ssize_t w = write(1, buf + off, (size_t)(r - off));

				if (w <= 0)
					return 1;
				off += w;
			}
		}
	}
}

static void on_signal(int sig) { stop = 1; }

static void spool_log(void *ctx, const char *msg) { logf_("%s", msg); }

/* A size with an optional K, M or G suffix (powers of 1024); 0 when malformed. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return 0;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	return *end ? 0 : v;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rampartd [--backend=sim|kernel] [--state-dir DIR] [--socket PATH] [--group NAME]\n"
		"                [--tty DEV [--baud N] [--parity none|even|odd]] [--rate PKTS_PER_S]\n"
		"                [--ipfix HOST:PORT]... [--ipfix-template-refresh SECONDS]\n"
		"                [--ipfix-domain ID] [--ipfix-dump FILE]\n"
		"                [--spool-max SIZE (default 64M)] [--spool-sync-ms N (default 1000; 0: every record)]\n"
		"       rampartd --restore-only [--state-dir DIR]  load the last confirmed table into the\n"
		"                                           module and exit (at boot, before the network)\n"
		"       rampartd --stdio [--socket PATH]    relay an SSH session to the running agent\n"
		"       rampartd --stdio --standalone ...   serve this session in-process\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, 0, 'b' }, { "state-dir", required_argument, 0, 'd' },
		{ "socket", required_argument, 0, 's' }, { "group", required_argument, 0, 'g' },
		{ "tty", required_argument, 0, 't' }, { "baud", required_argument, 0, 'B' },
		{ "parity", required_argument, 0, 'p' }, { "stdio", no_argument, 0, 'i' },
		{ "standalone", no_argument, 0, 'S' }, { "rate", required_argument, 0, 'r' },
		{ "no-socket", no_argument, 0, 'n' }, { "restore-only", no_argument, 0, 'R' },
		{ "help", no_argument, 0, 'h' },
		{ "ipfix", required_argument, 0, 'X' }, { "ipfix-template-refresh", required_argument, 0, 'T' },
		{ "ipfix-domain", required_argument, 0, 'D' }, { "ipfix-dump", required_argument, 0, 'U' },
		{ "spool-max", required_argument, 0, 'M' }, { "spool-sync-ms", required_argument, 0, 'Y' },
		{ 0, 0, 0, 0 } };
	const char *ipfix_to[IPFIX_MAX_COLLECTORS + 1], *ipfix_dump = NULL;
	int nipfix = 0;
	unsigned long ipfix_refresh = IPFIX_DEFAULT_REFRESH_S, ipfix_domain = 1;
	char *end;
	uint64_t spool_max = 64u << 20;
	unsigned spool_sync_ms = 1000;
	const char *backend = "sim", *state_dir = "/var/lib/rampart", *sock = "/run/rampart/rampartd.sock";
	const char *group = NULL, *tty = NULL, *parity = "none";
	unsigned baud = 115200, rate = 200;
	int stdio = 0, standalone = 0, no_socket = 0, restore_only = 0, opt, lfd = -1, have_group = 0, r;
	gid_t gid = 0;
	char err[300];
	uint64_t last_tick = 0;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': backend = optarg; break;
		case 'd': state_dir = optarg; break;
		case 's': sock = optarg; break;
		case 'g': group = optarg; break;
		case 't': tty = optarg; break;
		case 'B': baud = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': parity = optarg; break;
		case 'i': stdio = 1; break;
		case 'S': standalone = 1; break;
		case 'r': rate = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': no_socket = 1; break;
		case 'R': restore_only = 1; backend = "kernel"; break;
		case 'X':
			if (nipfix > IPFIX_MAX_COLLECTORS) {
				fprintf(stderr, "rampartd: at most %d --ipfix collectors\n", IPFIX_MAX_COLLECTORS);
				return 2;
			}
			ipfix_to[nipfix++] = optarg;
			break;
		case 'T':
			ipfix_refresh = strtoul(optarg, &end, 10);
			if (*end || ipfix_refresh < 1 || ipfix_refresh > 86400) {
				fprintf(stderr, "rampartd: --ipfix-template-refresh '%s': seconds from 1 to 86400\n", optarg);
				return 2;
			}
			break;
		case 'D':
			ipfix_domain = strtoul(optarg, &end, 10);
			if (*end || !optarg[0] || ipfix_domain > 0xffffffffUL) {
				fprintf(stderr, "rampartd: --ipfix-domain '%s': a number from 0 to 4294967295\n", optarg);
				return 2;
			}
			break;
		case 'U': ipfix_dump = optarg; break;
		case 'M':
			spool_max = parse_size(optarg);
			if (!spool_max) {
				fprintf(stderr, "rampartd: --spool-max wants a size like 65536, 512K or 64M, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'Y': spool_sync_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rampartd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (stdio && !standalone)
		return relay(sock);
	if (strcmp(backend, "sim") && strcmp(backend, "kernel")) {
		fprintf(stderr, "rampartd: unknown backend '%s' (sim or kernel)\n", backend);
		return 2;
	}
	if (strcmp(parity, "none") && strcmp(parity, "even") && strcmp(parity, "odd")) {
		fprintf(stderr, "rampartd: --parity must be none, even or odd\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (box_init(&box, state_dir, rate, mono_ms())) {
		fprintf(stderr, "rampartd: cannot create state dir %s: %s\n", state_dir, strerror(errno));
		return 1;
	}
	ipfix_init(&ipfix, (uint32_t)ipfix_domain, (unsigned)ipfix_refresh, logf_);
	for (r = 0; r < nipfix; r++)
		if (ipfix_add_collector(&ipfix, ipfix_to[r], err, sizeof(err))) {
			fprintf(stderr, "rampartd: %s\n", err);
			return 2;
		}
	if (ipfix_dump && !(ipfix.dump = fopen(ipfix_dump, "w"))) {
		fprintf(stderr, "rampartd: --ipfix-dump %s: %s\n", ipfix_dump, strerror(errno));
		return 2;
	}
	if (nipfix) {
		box.ipfix = &ipfix;
		logf_("exporting IPFIX to %d collector(s), messages up to %zu bytes, templates every %lu s",
		      nipfix, ipfix.max_msg, ipfix_refresh);
	}
	/* The boot-time restore only loads the table; the running agent owns the spool. */
	if (!restore_only) {
		box.spool = spool_open(state_dir, spool_max, spool_sync_ms, spool_log, NULL, err, sizeof(err));
		if (!box.spool) {
			fprintf(stderr, "rampartd: flow-record spool: %s\n", err);
			return 1;
		}
	}
	if (!strcmp(backend, "kernel") && box_use_kernel(&box, err, sizeof(err))) {
		fprintf(stderr, "rampartd: %s\n", err);
		return 1;
	}
	if (box.nl && !restore_only) {
		if (box_flows_subscribe(&box) == 0)
			logf_("subscribed to the kernel flow log");
		else
			logf_("%s", box.flow_note);
		box.flow_note[0] = 0;
	}
	r = box_restore(&box, err, sizeof(err));
	if (restore_only) {
		/* Run at boot before the network comes up (rampartd-restore.service): the box must
		 * never face the network without its last confirmed table. */
		if (r < 0)
			logf_("restore failed: %s", err);
		else
			logf_("%s", r > 0 ? box.last_event : "no confirmed table persisted: the module runs none");
		box_free(&box);
		return r < 0 ? 1 : 0;
	}
	if (r < 0)
		logf_("starting without a table: %s", err);
	else if (r > 0)
		logf_("%s", box.last_event);
	if (stdio) {
		struct conn *c = conn_new(C_STDIO, 0, 1);
		const char *ssh = getenv("SSH_CONNECTION");
		char line[300];

		if (c && ssh) {
			snprintf(line, sizeof(line), "PEER ssh %s", ssh);
			parse_peer(c, line);
		}
	} else if (!no_socket) {
		lfd = open_socket(sock, group, &gid, &have_group);
		if (lfd < 0)
			return 1;
	}
	if (tty) {
		int fd = open_tty(tty, baud, parity);
		struct conn *c;

		if (fd < 0)
			return 1;
		c = conn_new(C_TTY, fd, fd);
		c->text = 1;
		c->peer_kind = PEER_SERIAL;
		rl_set_rate(&c->link, baud);
		conn_out(c, tty_banner, strlen(tty_banner));
		text_prompt(c);
	}
	logf_("serving (backend %s, state dir %s%s%s)", backend, state_dir, lfd >= 0 ? ", socket " : "",
	      lfd >= 0 ? sock : "");
	while (!stop) {
		struct pollfd pf[MAX_CONNS + 2];
		struct conn *idx[MAX_CONNS + 2];
		int np = 0, i, flow_pi = -1;
		uint64_t now;

		if (lfd >= 0) {
			pf[np].fd = lfd;
			pf[np].events = POLLIN;
			idx[np++] = NULL;
		}
		for (i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];

			if (!c->used)
				continue;
			pf[np].fd = c->in_fd;
			pf[np].events = POLLIN | (c->out_len && c->out_fd == c->in_fd ? POLLOUT : 0);
			idx[np++] = c;
		}
		if (box_flows_fd(&box) >= 0) {
			flow_pi = np;
			pf[np].fd = box_flows_fd(&box);
			pf[np].events = POLLIN;
			idx[np++] = NULL;
		}
		poll(pf, (nfds_t)np, 20);
		now = mono_ms();
		if (flow_pi >= 0 && (pf[flow_pi].revents & (POLLIN | POLLERR))) {
			box_flows_read(&box);
			if (box.flow_note[0]) {
				logf_("%s", box.flow_note);
				box.flow_note[0] = 0;
			}
		}
		for (i = 0; i < np; i++) {
			struct conn *c = idx[i];

			if (i == flow_pi)
				continue;
			if (!c) {
				if (pf[i].revents & POLLIN) {
					int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

					if (fd >= 0 && !peer_allowed(fd, gid, have_group)) {
						static const char msg[] = "rampartd: permission denied\n";

						logf_("refused a local connection: not root and not in the agent's group");
						if (write(fd, msg, sizeof(msg) - 1) < 0)
							logf_("could not tell the refused client");
						close(fd);
					} else if (fd >= 0) {
						struct conn *nc = conn_new(C_UNIX, fd, fd);

						if (!nc)
							close(fd);
						else
							nc->preamble = 1;
					}
				}
				continue;
			}
			if (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				uint8_t buf[65536];
				ssize_t rd = read(c->in_fd, buf, sizeof(buf));

				if (rd > 0) {
					conn_input(c, buf, (size_t)rd, now);
				} else if (rd == 0 || (errno != EAGAIN && errno != EINTR)) {
					if (c->kind == C_TTY)
						continue; /* a tty without a peer: keep it */
					c->closing = 2;
				}
			}
		}
		ipfix_tick(&ipfix, now, wall_ms());
		spool_tick(box.spool, now);
		if (since(now, last_tick) >= 100) {
			if (box_tick(&box, now, wall_ms()))
				logf_("%s", box.last_event);
			for (i = 0; i < MAX_UPLOADS; i++)
				if (uploads[i].buf && since(now, uploads[i].last_ms) > UPLOAD_TTL_MS)
					drop_upload(&uploads[i]);
			last_tick = now;
		}
		for (i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];

			if (!c->used)
				continue;
			rl_tick(&c->link, now);
			push_records(c);
			if (c->kind == C_TTY && !c->text) {
				if (c->link.stats.rx_frames != c->frames_seen) {
					c->frames_seen = c->link.stats.rx_frames;
					c->last_frame_ms = now;
				} else if (since(now, c->last_frame_ms) > TEXT_IDLE_MS) {
					c->text = 1;
					c->link.session = 0;
					conn_out(c, tty_banner, strlen(tty_banner));
					text_prompt(c);
				}
			}
			conn_flush(c);
			if (c->closing == 2 || (c->closing && !c->out_len)) {
				if (c->kind == C_STDIO) {
					stop = 1;
				}
				conn_close(c);
			}
		}
	}
	if (lfd >= 0)
		unlink(sock);
	/* What the module already multicast to us counts as delivered there: take it before going. */
	if (box.flows) {
		box_flows_read(&box);
		if (box.flow_note[0])
			logf_("%s", box.flow_note);
		logf_("kernel flow log at exit: %llu records in %llu exports, lost in the kernel %llu packets "
		      "(table full), %llu records (no listener), %llu (send failed), %llu socket overruns",
		      (unsigned long long)box.fl.records, (unsigned long long)box.fl.exports,
		      (unsigned long long)box.fl.lost[0], (unsigned long long)box.fl.lost[1],
		      (unsigned long long)box.fl.lost[2], (unsigned long long)box.fl.overruns);
	}
	if (ipfix.ncol) {
		char ix[1024];

		ipfix_flush(&ipfix, mono_ms(), wall_ms());
		ipfix_status(&ipfix, ix, sizeof(ix));
		logf_("ipfix at exit: %s", ix);
	}
	ipfix_close(&ipfix, mono_ms(), wall_ms());
	box_free(&box);
	spool_close(box.spool);
	return 0;
}
