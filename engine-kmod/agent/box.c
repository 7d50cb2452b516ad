// SPDX-License-Identifier: GPL-2.0-only
/* Box state, confirm deadline, persistence and the simulated office traffic. */
#define _GNU_SOURCE
#include "box.h"
#include "ipfix.h"
#include "rampart_nl.h"
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void table_free(struct table *t)
{
	if (t) {
		free(t->blob);
		free(t->ctr);
		free(t);
	}
}

/* Frees t unless one of the box's slots still holds it. */
static void release(struct box *b, struct table *t)
{
	if (t && t != b->running && t != b->confirmed && t != b->previous)
		table_free(t);
}

static const char *verify_error_name(int code)
{
	static const char *names[] = { "ok", "short", "magic", "version", "length", "checksum",
		"flags", "section", "limit", "string", "rule", "chain", "set", "term", "ext",
		"interval", "tree", "node", "ref", "leaf" };

	return code >= 0 && code < (int)(sizeof(names) / sizeof(names[0])) ? names[code] : "unknown";
}

/* Verifies blob and wraps it; takes ownership of blob in every case. */
static struct table *table_make(uint8_t *blob, size_t len, char *err, size_t errlen)
{
	struct rampart_limits lim;
	struct rampart_verify_error ve = { 0, 0 };
	struct table *t = calloc(1, sizeof(*t));

	if (!t) {
		free(blob);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rampart_default_limits(&lim);
	if (rampart_verify(blob, len, &lim, &t->t, &ve) != RAMPART_OK) {
		snprintf(err, errlen, "table refused by the verifier: %s error at byte offset %u",
			 verify_error_name(ve.code), ve.offset);
		free(blob);
		free(t);
		return NULL;
	}
	t->blob = blob;
	t->len = len;
	t->generation = rampart_rd64(blob + 16);
	t->ctr = calloc(t->t.count[RAMPART_SEC_RULES] ? t->t.count[RAMPART_SEC_RULES] : 1,
			sizeof(*t->ctr));
	if (!t->ctr) {
		table_free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return t;
}

uint32_t box_rule_count(const struct table *t)
{
	return t ? t->t.count[RAMPART_SEC_RULES] : 0;
}

uint32_t box_rule_id(const struct table *t, uint32_t i)
{
	return rampart_rd32(t->t.sec[RAMPART_SEC_RULES] + 8 * (size_t)i);
}

const char *box_rule_name(const struct table *t, uint32_t index, char *buf, size_t buflen)
{
	uint32_t i;

	for (i = 0; i < t->t.count[RAMPART_SEC_NAMES]; i++) {
		const uint8_t *n = t->t.sec[RAMPART_SEC_NAMES] + 8 * (size_t)i;

		if (rampart_rd32(n) == index) {
			const uint8_t *s = t->t.sec[RAMPART_SEC_STRINGS] + rampart_rd32(n + 4);
			size_t len = rampart_rd16(s);

			if (len >= buflen)
				len = buflen - 1;
			memcpy(buf, s + 2, len);
			buf[len] = 0;
			return buf;
		}
	}
	return NULL;
}

static int mkdirs(const char *path)
{
	char tmp[512];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] == '/' || tmp[i] == 0) {
			char c = tmp[i];

			tmp[i] = 0;
			if (mkdir(tmp, 0750) && errno != EEXIST)
				return -1;
			tmp[i] = c;
		}
	}
	return 0;
}

/* Write to a temporary file, fsync, rename over the old one, fsync the directory: a crash at any
 * point leaves either the old or the new table, never a torn one. */
static int persist_one(struct box *b, const char *name, const struct table *t, char *err, size_t errlen)
{
	char path[600], tmp[620];
	int fd, dfd;
	size_t off = 0;

	snprintf(path, sizeof(path), "%s/%s.tbl", b->state_dir, name);
	if (!t) {
		if (unlink(path) && errno != ENOENT)
			goto fail;
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.tbl.tmp", b->state_dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	while (off < t->len) {
		ssize_t w = write(fd, t->blob + off, t->len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) || close(fd) || rename(tmp, path))
		goto fail;
	dfd = open(b->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot persist the %s table in %s: %s", name, b->state_dir,
		 strerror(errno));
	return -1;
}

/* The previous table first: a crash between the two leaves it equal to the confirmed one at worst,
 * and `rollback` after a restart still has the table before the confirmed one to go to. */
static int persist(struct box *b, char *err, size_t errlen)
{
	if (persist_one(b, "previous", b->previous, err, errlen))
		return -1;
	return persist_one(b, "confirmed", b->confirmed, err, errlen);
}

static void kernel_error(struct box *b, int ret, const char *what, char *err, size_t errlen)
{
	if (b->nl->verify_code)
		snprintf(err, errlen, "%s: the module's verifier refused the table (error %d at byte offset %u)",
			 what, b->nl->verify_code, b->nl->verify_offset);
	else
		snprintf(err, errlen, "%s: %s%s%s", what, strerror(-ret), b->nl->err_msg[0] ? ": " : "",
			 b->nl->err_msg);
}

int box_use_kernel(struct box *b, char *err, size_t errlen)
{
	struct rnl *nl = calloc(1, sizeof(*nl));
	int ret;

	if (!nl) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = rnl_open(nl);
	if (ret) {
		snprintf(err, errlen, "cannot reach the rampart kernel module (generic netlink family \"rampart\"): "
			 "%s; is rampart.ko loaded?", strerror(-ret));
		free(nl);
		return -1;
	}
	b->nl = nl;
	b->rate = 0;
	return 0;
}

int box_flows_subscribe(struct box *b)
{
	struct rnl *nl;
	int ret;

	/* The flow log gets a socket of its own: rnl_transact on b->nl skips multicast messages. */
	nl = calloc(1, sizeof(*nl));
	ret = nl ? rnl_open(nl) : -ENOMEM;
	if (!ret) {
		ret = rnl_flows_subscribe(nl);
		if (ret)
			rnl_close(nl);
	}
	if (ret) {
		/* Tables still work without it; say so rather than refuse to run. */
		snprintf(b->flow_note, sizeof(b->flow_note),
			 "no kernel flow log: cannot subscribe to the module's \"flows\" group: %s", strerror(-ret));
		free(nl);
		return -1;
	}
	b->flows = nl;
	/* Without link notifications the indexes are still right, only dearer: one lookup each. */
	ifcache_open(&b->ifc);
	return 0;
}

int box_flows_fd(const struct box *b)
{
	return b->flows ? b->flows->fd : -1;
}

/* The kernel NUL-pads names of at most 15 bytes; a 16th is dropped rather than trusted. */
static void copy_name(char out[16], const char in[16])
{
	memcpy(out, in, 15);
	out[15] = 0;
}

static int flow_record(void *arg, uint64_t export_seq, const struct rampart_flow_record *f)
{
	struct box *b = arg;
	struct record r;

	if (export_seq != b->fl_export) {
		b->fl_export = export_seq;
		b->fl_export_records = 0;
	}
	b->fl_export_records++;
	memset(&r, 0, sizeof(r));
	r.time_ms = f->last_ms;
	r.generation = f->generation;
	r.hook = f->hook;
	r.verdict = f->verdict;
	r.proto = f->proto;
	r.v4 = f->family == 4;
	memcpy(r.src, f->src, 16);
	memcpy(r.dst, f->dst, 16);
	/* ICMP flows carry type and code in the destination port, type * 256 + code, as NetFlow
	 * and IPFIX collectors (nfdump) read it; the kernel leaves its port fields 0 for them. */
	if (f->proto == 1 || f->proto == 58) {
		r.sport = 0;
		r.dport = (uint16_t)(f->icmp_type << 8 | f->icmp_code);
	} else {
		r.sport = f->sport;
		r.dport = f->dport;
	}
	r.rule_id = f->rule_id;
	r.packets = f->packets;
	r.bytes = f->bytes;
	r.first_ms = f->first_ms;
	r.last_ms = f->last_ms;
	/* The names are what the hook saw; the indexes are looked up now, so an interface gone
	 * since the packet passed has index 0 ("none") but keeps its name. */
	copy_name(r.in_name, f->iif);
	copy_name(r.out_name, f->oif);
	r.in_if = ifcache_index(&b->ifc, r.in_name);
	r.out_if = ifcache_index(&b->ifc, r.out_name);
	r.tcp_flags = f->tcp_flags;
	box_add_record(b, &r);
	b->fl.records++;
	return 0;
}

static int flow_end(void *arg, const struct rnl_flow_end *e)
{
	struct box *b = arg;
	uint32_t got = e->export_seq == b->fl_export ? b->fl_export_records : 0;
	uint64_t lost = 0;
	int i;

	b->fl.exports++;
	for (i = 0; i < 4 && i < RAMPART_FLOW_LOST_MAX; i++) {
		b->fl.lost[i] += e->lost[i];
		lost += e->lost[i];
	}
	if (got < e->records)
		b->fl.short_exports++;
	if (lost || got < e->records)
		snprintf(b->flow_note, sizeof(b->flow_note),
			 "kernel flow export %llu: %u of %u records received; the module reports lost since its "
			 "last export: %llu packets (flow table full), %llu records (no listener), %llu records (send failed)",
			 (unsigned long long)e->export_seq, got, e->records,
			 (unsigned long long)e->lost[RAMPART_FLOW_LOST_TABLE_FULL],
			 (unsigned long long)e->lost[RAMPART_FLOW_LOST_NO_LISTENER],
			 (unsigned long long)e->lost[RAMPART_FLOW_LOST_SEND_FAILED]);
	b->fl_export = 0;
	b->fl_export_records = 0;
	return 0;
}

int box_flows_read(struct box *b)
{
	struct rnl_flow_handler h = { flow_record, flow_end, b };
	uint64_t before = b->fl.records;
	int i, ret;

	/* Bounded, so a flood of exports cannot starve the connections. */
	for (i = 0; b->flows && i < 64; i++) {
		ret = rnl_flows_read(b->flows, &h, 0);
		if (ret == 0)
			break;
		if (ret == -ENOBUFS) {
			b->fl.overruns++;
			snprintf(b->flow_note, sizeof(b->flow_note),
				 "kernel flow log: socket overrun (%llu so far); the module counts the records in a later "
				 "export's send_failed", (unsigned long long)b->fl.overruns);
			continue;
		}
		if (ret == -EPROTO) {
			b->fl.malformed++;
			snprintf(b->flow_note, sizeof(b->flow_note), "kernel flow log: a malformed message was not loaded");
			continue;
		}
		if (ret < 0) {
			snprintf(b->flow_note, sizeof(b->flow_note), "kernel flow log: %s", strerror(-ret));
			break;
		}
	}
	return (int)(b->fl.records - before);
}

struct counter_ctx {
	struct table *t;
	uint64_t wall;
};

static int counter_cb(void *arg, const struct rnl_counter *c)
{
	struct counter_ctx *ctx = arg;
	struct table *t = ctx->t;

	if (c->generation != t->generation)
		return 0;
	if (c->is_policy) {
		if (c->hook < 3) {
			t->policy_ctr[c->hook].packets = c->packets;
			t->policy_ctr[c->hook].bytes = c->bytes;
		}
		return 0;
	}
	if (c->rule_index < t->t.count[RAMPART_SEC_RULES]) {
		t->ctr[c->rule_index].packets = c->packets;
		t->ctr[c->rule_index].bytes = c->bytes;
		/* The module reports how long ago (ms); the protocol carries wall-clock time. */
		t->ctr[c->rule_index].last_hit_ms = c->last_hit_ms < 0 || (uint64_t)c->last_hit_ms > ctx->wall
			? 0 : ctx->wall - (uint64_t)c->last_hit_ms;
	}
	return 0;
}

void box_refresh_counters(struct box *b)
{
	struct counter_ctx ctx = { b->running, wall_ms() };

	if (b->nl && b->running)
		rnl_counters(b->nl, counter_cb, &ctx);
}

int box_init(struct box *b, const char *state_dir, unsigned rate, uint64_t now)
{
	memset(b, 0, sizeof(*b));
	b->ifc.fd = -1;
	snprintf(b->state_dir, sizeof(b->state_dir), "%s", state_dir);
	b->started_ms = now;
	b->gen_ms = now;
	b->rate = rate;
	b->rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	return mkdirs(state_dir);
}

/* A persisted table, verified; 0 and *out NULL when the file does not exist, -1 with err. */
static int read_table(struct box *b, const char *name, struct table **out, char *err, size_t errlen)
{
	char path[600];
	struct stat st;
	uint8_t *blob;
	int fd;
	size_t off = 0;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s.tbl", b->state_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > (256 << 20)) {
		close(fd);
		snprintf(err, errlen, "%s: unusable size", path);
		return -1;
	}
	blob = malloc((size_t)st.st_size);
	while (blob && off < (size_t)st.st_size) {
		ssize_t r = read(fd, blob + off, (size_t)st.st_size - off);

		if (r <= 0) {
			free(blob);
			blob = NULL;
			break;
		}
		off += (size_t)r;
	}
	close(fd);
	if (!blob) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	*out = table_make(blob, off, err, errlen);
	return *out ? 0 : -1;
}

int box_restore(struct box *b, char *err, size_t errlen)
{
	struct table *t, *prev;
	uint64_t ended = 0;         /* generation of a probation ended here, 0 if none */

	if (read_table(b, "confirmed", &t, err, errlen))
		return -1;
	if (!t)
		return 0;
	/* Only for rollback; an unreadable one costs that, not the restore. */
	if (read_table(b, "previous", &prev, err, errlen))
		prev = NULL;
	if (b->nl) {
		struct rnl_status st;
		int ret = rnl_status(b->nl, &st);

		/* An agent that died between a swap and its confirm left the module on probation with a
		 * table this agent never saw and whose blob it cannot persist, so a CONFIRM could not be
		 * honoured: end the probation now rather than let it run until the timer fires. */
		if (!ret && st.confirm_pending) {
			ended = st.generation;
			ret = rnl_rollback(b->nl);
			if (ret) {
				kernel_error(b, ret, "ending the probation the agent found at start", err, errlen);
				table_free(t);
				table_free(prev);
				return -1;
			}
			ret = rnl_status(b->nl, &st);
		}
		/* After an agent restart the module may already run it; at boot it runs nothing. */
		if (ret || !st.has_table || st.generation != t->generation) {
			ret = rnl_load(b->nl, t->blob, t->len, 0, 0, NULL);
			if (ret) {
				kernel_error(b, ret, "loading the confirmed table into the module", err, errlen);
				table_free(t);
				table_free(prev);
				return -1;
			}
		}
	}
	b->running = b->confirmed = t;
	b->previous = prev;
	if (ended)
		snprintf(b->last_event, sizeof(b->last_event), "restored confirmed generation %016llx at start "
			 "and ended the probation of generation %016llx left by an earlier run",
			 (unsigned long long)t->generation, (unsigned long long)ended);
	else
		snprintf(b->last_event, sizeof(b->last_event), "restored confirmed generation %016llx at start",
			 (unsigned long long)t->generation);
	return 1;
}

enum box_state box_state(const struct box *b)
{
	if (!b->running)
		return BOX_EMPTY;
	return b->running == b->confirmed ? BOX_CONFIRMED : BOX_PROBATION;
}

int box_load(struct box *b, uint8_t *blob, size_t len, uint32_t confirm_s, uint64_t now,
	     char *err, size_t errlen)
{
	struct table *t, *old = b->running;

	/* As the module does: one table on probation at a time. */
	if (box_state(b) == BOX_PROBATION) {
		free(blob);
		snprintf(err, errlen, "generation %016llx awaits confirmation: confirm or roll back first",
			 (unsigned long long)b->running->generation);
		return -2;
	}
	t = table_make(blob, len, err, errlen);
	if (!t)
		return -1;
	if (b->nl) {
		/* The module verifies again, swaps, and runs the confirm deadline itself. */
		int ret = rnl_load(b->nl, t->blob, t->len, confirm_s, 0, NULL);

		if (ret) {
			kernel_error(b, ret, "the module refused the table", err, errlen);
			table_free(t);
			return -1;
		}
	}
	if (confirm_s) {
		b->running = t;
		b->deadline_ms = now + (uint64_t)confirm_s * 1000;
		release(b, old);
		snprintf(b->last_event, sizeof(b->last_event),
			 "loaded generation %016llx, awaiting confirm within %u s",
			 (unsigned long long)t->generation, confirm_s);
		return 0;
	}
	{
		struct table *prev = b->previous, *conf = b->confirmed;

		b->previous = conf;
		b->confirmed = b->running = t;
		release(b, prev);
		release(b, old);
		snprintf(b->last_event, sizeof(b->last_event), "loaded and confirmed generation %016llx",
			 (unsigned long long)t->generation);
		return persist(b, err, errlen);
	}
}

int box_confirm(struct box *b, uint64_t generation, char *err, size_t errlen)
{
	struct table *prev = b->previous;

	if (box_state(b) != BOX_PROBATION) {
		snprintf(err, errlen, "nothing awaits confirmation (it may have been reverted already)");
		return -1;
	}
	if (b->running->generation != generation) {
		snprintf(err, errlen, "generation %016llx is not the one on probation (%016llx)",
			 (unsigned long long)generation, (unsigned long long)b->running->generation);
		return -1;
	}
	if (b->nl) {
		int ret = rnl_confirm(b->nl);

		if (ret) {
			kernel_error(b, ret, "the module did not take the confirmation", err, errlen);
			return -1;
		}
	}
	b->previous = b->confirmed;
	b->confirmed = b->running;
	release(b, prev);
	snprintf(b->last_event, sizeof(b->last_event), "confirmed generation %016llx",
		 (unsigned long long)generation);
	return persist(b, err, errlen);
}

static void revert(struct box *b, const char *why)
{
	struct table *t = b->running;

	b->running = b->confirmed;
	snprintf(b->last_event, sizeof(b->last_event), "reverted generation %016llx (%s)",
		 (unsigned long long)t->generation, why);
	release(b, t);
}

int box_rollback(struct box *b, char *err, size_t errlen)
{
	struct table *conf = b->confirmed;

	if (b->nl && box_state(b) == BOX_PROBATION && !b->confirmed) {
		/* The module's rollback needs a table to go back to; "none" only comes by its timer. */
		snprintf(err, errlen, "no confirmed table to go back to: the module drops generation %016llx "
			 "when its deadline passes", (unsigned long long)b->running->generation);
		return -1;
	}
	if (b->nl && (box_state(b) == BOX_PROBATION || b->previous)) {
		struct rnl_status st;
		int ret = rnl_status(b->nl, &st);

		/* The module's own "previous" is the table it swapped out last, which after a revert is
		 * the reverted one: swap only when it is the table the agent means, else load that. */
		if (!ret && box_state(b) == BOX_PROBATION && !st.confirm_pending)
			ret = 0; /* the module's timer reverted it already; box_tick will have noticed */
		else if (!ret && (box_state(b) == BOX_PROBATION
				  ? st.has_prev && st.prev_generation == b->confirmed->generation
				  : st.has_prev && st.prev_generation == b->previous->generation && !st.confirm_pending))
			ret = rnl_rollback(b->nl);
		else if (!ret && box_state(b) == BOX_PROBATION) {
			ret = rnl_rollback(b->nl);
			if (!ret)
				ret = rnl_load(b->nl, b->confirmed->blob, b->confirmed->len, 0, 0, NULL);
		} else if (!ret)
			ret = rnl_load(b->nl, b->previous->blob, b->previous->len, 0, 0, NULL);
		if (ret) {
			kernel_error(b, ret, "the module did not roll back", err, errlen);
			return -1;
		}
	}
	if (box_state(b) == BOX_PROBATION) {
		revert(b, "rolled back by request");
		return 0;
	}
	if (!b->previous) {
		snprintf(err, errlen, "there is no earlier confirmed table to roll back to");
		return -1;
	}
	b->running = b->confirmed = b->previous;
	b->previous = NULL;
	release(b, conf);
	snprintf(b->last_event, sizeof(b->last_event), "rolled back to generation %016llx",
		 (unsigned long long)b->running->generation);
	return persist(b, err, errlen);
}

void box_free(struct box *b)
{
	struct table *r = b->running, *c = b->confirmed, *p = b->previous;

	b->running = b->confirmed = b->previous = NULL;
	if (b->nl) {
		rnl_close(b->nl);
		free(b->nl);
		b->nl = NULL;
	}
	if (b->flows) {
		rnl_close(b->flows);
		free(b->flows);
		b->flows = NULL;
	}
	ifcache_close(&b->ifc);
	table_free(r);
	if (c != r)
		table_free(c);
	if (p != r && p != c)
		table_free(p);
}

/* ---- simulated office traffic ------------------------------------------------------------- */

static uint32_t rnd(struct box *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return (uint32_t)(b->rng >> 16);
}

#define IP4(a, b_, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b_) << 16 | (uint32_t)(c) << 8 | (d))
#define TCP_SYN 0x02
#define TCP_ACK 0x10

struct pkt {
	uint32_t hook, src, dst, proto, sport, dport, flags, state, bytes, icmp_type;
	const char *iif, *oif;
};

static void ifname(const char *name, uint64_t *hi, uint64_t *lo)
{
	uint8_t b[16] = { 0 };
	int i;

	if (name)
		memcpy(b, name, strlen(name) < 15 ? strlen(name) : 15);
	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | b[i];
		*lo = *lo << 8 | b[8 + i];
	}
}

static void make_key(const struct pkt *p, struct rampart_key *k)
{
	memset(k, 0, sizeof(*k));
	k->w[RAMPART_W_SRC_LO] = 0x0000ffff00000000ull | p->src;
	k->w[RAMPART_W_DST_LO] = 0x0000ffff00000000ull | p->dst;
	k->w[RAMPART_W_PROTO] = p->proto;
	if (p->proto == 6 || p->proto == 17) {
		k->w[RAMPART_W_SPORT] = p->sport;
		k->w[RAMPART_W_DPORT] = p->dport;
	}
	if (p->proto == 1)
		k->w[RAMPART_W_ICMP_TYPE] = p->icmp_type;
	if (p->proto == 6)
		k->w[RAMPART_W_TCP_FLAGS] = p->flags;
	k->w[RAMPART_W_STATE] = p->state;
	ifname(p->iif, &k->w[RAMPART_W_IIF_HI], &k->w[RAMPART_W_IIF_LO]);
	ifname(p->oif, &k->w[RAMPART_W_OIF_HI], &k->w[RAMPART_W_OIF_LO]);
}

static const uint32_t web_sites[] = { IP4(93, 184, 216, 34), IP4(151, 101, 1, 69),
	IP4(142, 250, 74, 46), IP4(104, 16, 132, 229), IP4(185, 199, 108, 153) };
static const uint16_t scan_ports[] = { 22, 23, 80, 443, 445, 1433, 3306, 3389, 5900, 8080 };
#define BOX_LAN IP4(10, 20, 0, 1)
#define BOX_WAN IP4(203, 0, 113, 10)

/* One packet of a plausible small office (the addressing of examples/office.rampart): most of it
 * web and DNS from the LAN, an admin's SSH session to the box over the management network, the box's own NTP and updates, and unwanted traffic from outside. */
static void generate(struct box *b, struct pkt *p)
{
	uint32_t r = rnd(b) % 100, est = rnd(b) % 5 != 0;

	memset(p, 0, sizeof(*p));
	p->sport = 32768 + rnd(b) % 28000;
	if (r < 45) {                       /* web from the LAN */
		p->hook = RAMPART_HOOK_FORWARD;
		p->iif = "lan0";
		p->oif = "wan0";
		p->src = IP4(10, 20, 3, 20 + rnd(b) % 60);
		p->dst = web_sites[rnd(b) % 5];
		p->proto = 6;
		p->dport = rnd(b) % 5 ? 443 : 80;
		p->state = est ? 1 : 0;
		p->flags = est ? TCP_ACK : TCP_SYN;
		p->bytes = est ? 60 + rnd(b) % 1440 : 60;
	} else if (r < 60) {                /* DNS: to the box's resolver or straight out */
		p->iif = "lan0";
		p->src = IP4(10, 20, 3, 20 + rnd(b) % 60);
		p->proto = 17;
		p->dport = 53;
		p->bytes = 70 + rnd(b) % 60;
		if (rnd(b) % 2) {
			p->hook = RAMPART_HOOK_INPUT;
			p->dst = BOX_LAN;
		} else {
			p->hook = RAMPART_HOOK_FORWARD;
			p->oif = "wan0";
			p->dst = rnd(b) % 2 ? IP4(1, 1, 1, 1) : IP4(9, 9, 9, 9);
		}
	} else if (r < 68) {                /* the admin's SSH session to the box */
		p->hook = RAMPART_HOOK_INPUT;
		p->iif = "mgmt0";
		p->src = IP4(192, 168, 250, 5);
		p->dst = IP4(192, 168, 250, 1);
		p->proto = 6;
		p->sport = 51000;
		p->dport = 2222;
		p->state = 1;
		p->flags = TCP_ACK;
		p->bytes = 52 + rnd(b) % 200;
	} else if (r < 72) {                /* ping of the box from the LAN */
		p->hook = RAMPART_HOOK_INPUT;
		p->iif = "lan0";
		p->src = IP4(10, 20, 3, 20 + rnd(b) % 60);
		p->dst = BOX_LAN;
		p->proto = 1;
		p->icmp_type = 8;
		p->bytes = 84;
	} else if (r < 77) {                /* the box itself: NTP and package updates */
		p->hook = RAMPART_HOOK_OUTPUT;
		p->oif = "wan0";
		p->src = BOX_WAN;
		if (rnd(b) % 2) {
			p->proto = 17;
			p->sport = 123;
			p->dport = 123;
			p->dst = IP4(162, 159, 200, 1);
			p->bytes = 76;
		} else {
			p->proto = 6;
			p->dport = 443;
			p->dst = IP4(151, 101, 2, 132);
			p->state = est;
			p->flags = est ? TCP_ACK : TCP_SYN;
			p->bytes = 60 + rnd(b) % 1440;
		}
	} else if (r < 92) {                /* scans of the box from outside */
		p->hook = RAMPART_HOOK_INPUT;
		p->iif = "wan0";
		p->src = IP4(45 + rnd(b) % 150, rnd(b) % 256, rnd(b) % 256, 1 + rnd(b) % 254);
		p->dst = BOX_WAN;
		p->proto = 6;
		p->dport = rnd(b) % 3 ? scan_ports[rnd(b) % 10] : 1 + rnd(b) % 65535;
		p->flags = TCP_SYN;
		p->bytes = 60;
	} else {                            /* unwanted inbound to the LAN: SMB, RDP, telnet */
		static const uint16_t bad[] = { 445, 3389, 23 };

		p->hook = RAMPART_HOOK_FORWARD;
		p->iif = "wan0";
		p->oif = "lan0";
		p->src = IP4(80 + rnd(b) % 100, rnd(b) % 256, rnd(b) % 256, 1 + rnd(b) % 254);
		p->dst = IP4(10, 20, 3, 20 + rnd(b) % 60);
		p->proto = 6;
		p->dport = bad[rnd(b) % 3];
		p->flags = TCP_SYN;
		p->bytes = 60;
	}
}

static void v4_bytes(uint8_t out[16], uint32_t a)
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	out[12] = a >> 24;
	out[13] = a >> 16;
	out[14] = a >> 8;
	out[15] = a;
}

/* The simulated office's interfaces get fixed indices, as a box would number them (1 is lo). */
static uint32_t sim_ifindex(const char *name)
{
	static const char *names[] = { "lan0", "wan0", "mgmt0" };
	uint32_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i + 2;
	return 0;
}

static void classify_one(struct box *b, uint64_t wall)
{
	struct pkt p;
	struct rampart_key k;
	struct rampart_result res = { RAMPART_ACCEPT, RAMPART_NO_RULE, 0, 0, 0 };
	struct table *t = b->running;
	struct rule_counter *c = NULL;

	generate(b, &p);
	make_key(&p, &k);
	if (t && rampart_classify(&t->t, p.hook, &k, NULL, NULL, &res) == 0)
		c = res.rule_index == RAMPART_NO_RULE ? &t->policy_ctr[p.hook] : &t->ctr[res.rule_index];
	if (c) {
		c->packets++;
		c->bytes += p.bytes;
		c->last_hit_ms = wall;
	}
	/* The flow log keeps new connections, everything denied, and rules marked log. */
	if (p.state == 0 || res.verdict != RAMPART_ACCEPT || (res.rule_flags & RAMPART_RULE_LOG)) {
		struct record r;

		memset(&r, 0, sizeof(r));
		r.time_ms = wall;
		r.generation = t ? t->generation : 0;
		r.hook = (uint8_t)p.hook;
		r.verdict = (uint8_t)res.verdict;
		r.proto = (uint8_t)p.proto;
		r.v4 = 1;
		v4_bytes(r.src, p.src);
		v4_bytes(r.dst, p.dst);
		/* Only TCP and UDP have ports; the generator's source port means nothing for ICMP. */
		r.sport = p.proto == 6 || p.proto == 17 ? (uint16_t)p.sport : 0;
		r.dport = p.proto == 6 || p.proto == 17 ? (uint16_t)p.dport : 0;
		r.rule_id = res.rule_index == RAMPART_NO_RULE ? 0 : res.rule_id;
		r.packets = 1;
		r.bytes = p.bytes;
		r.first_ms = r.last_ms = wall;
		r.in_if = sim_ifindex(p.iif);
		r.out_if = sim_ifindex(p.oif);
		snprintf(r.in_name, sizeof(r.in_name), "%s", p.iif ? p.iif : "");
		snprintf(r.out_name, sizeof(r.out_name), "%s", p.oif ? p.oif : "");
		r.tcp_flags = p.proto == 6 ? (uint16_t)p.flags : 0;
		box_add_record(b, &r);
	}
}

int box_add_record(struct box *b, struct record *r)
{
	int ret = 0;

	if (b->spool)
		ret = spool_append(b->spool, r);
	else
		r->seq = b->rec_seq;
	/* The ring keeps what `tail` shows, lost records included: they did pass the box. */
	b->rec[b->rec_seq++ % BOX_RECORDS] = *r;
	/* IPFIX collectors get every record the box saw, whether or not the spool had room. */
	if (b->ipfix)
		ipfix_export(b->ipfix, r, mono_ms(), wall_ms());
	return ret;
}

int box_tick(struct box *b, uint64_t now, uint64_t wall)
{
	int reverted = 0;
	uint64_t due;

	if (box_state(b) == BOX_PROBATION && b->nl) {
		struct rnl_status st;

		/* The module reverts by its own timer, whatever the agent does: watch for it rather than
		 * for the agent's clock, and report what the module says. */
		if (rnl_status(b->nl, &st) == 0 && !st.confirm_pending
		    && (!st.has_table || st.generation != b->running->generation)) {
			char why[96];

			snprintf(why, sizeof(why), "the module's timer: not confirmed in time, %u revert(s) so far",
				 st.reverts);
			revert(b, why);
			reverted = 1;
		}
	} else if (box_state(b) == BOX_PROBATION && now >= b->deadline_ms) {
		revert(b, "not confirmed before its deadline");
		reverted = 1;
	}
	if (b->nl)
		return reverted;
	due = since(now, b->gen_ms) * b->rate / 1000;
	if (due > 0) {
		if (due > 10000)
			due = 10000;
		while (due--)
			classify_one(b, wall);
		b->gen_ms = now;
	}
	return reverted;
}
