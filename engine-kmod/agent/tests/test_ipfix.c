// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPFIX encoder and exporter tests. Messages are taken apart by a decoder written here from
 * RFC 7011 and the IANA registry (it reads the templates out of the message and decodes the data
 * by them), so an encoder bug cannot cancel itself out. The exporter is driven over real loopback
 * UDP sockets. `test-ipfix --send HOST:PORT` exports a fixed set of IPv4 and IPv6 records to a
 * collector and prints them, `--pcap FILE` writes them as a capture (tests/ipfix_e2e.sh checks
 * them against nfcapd and tshark).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../ipfix.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static uint16_t g16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t g32(const uint8_t *p) { return (uint32_t)g16(p) << 16 | g16(p + 2); }
static uint64_t g64(const uint8_t *p) { return (uint64_t)g32(p) << 32 | g32(p + 4); }

/* ---- an independent decoder ------------------------------------------------------------------- */

struct tfield { uint16_t id, len; uint32_t pen; };
struct tmpl { uint16_t id, n; struct tfield f[32]; };
struct drec { uint16_t tid; uint8_t src[16], dst[16]; uint64_t v[32]; struct tmpl *t; };
struct decoded {
	uint16_t version, length;
	uint32_t export_time, seq, domain;
	int ntemplate_sets, ntmpl, ndata_sets, nrec;
	struct tmpl tmpl[4];
	struct drec rec[64];
	char err[200];
};

/* Templates a message defines persist, as at a collector: pass the same known[] to each call. */
static int decode(const uint8_t *p, size_t n, struct decoded *d, struct tmpl *known, int *nknown)
{
	size_t off = 16;

	memset(d, 0, sizeof(*d));
	if (n < 16) {
		snprintf(d->err, sizeof(d->err), "%zu bytes: shorter than the header", n);
		return -1;
	}
	d->version = g16(p);
	d->length = g16(p + 2);
	d->export_time = g32(p + 4);
	d->seq = g32(p + 8);
	d->domain = g32(p + 12);
	if (d->length != n) {
		snprintf(d->err, sizeof(d->err), "header length %u, datagram %zu", d->length, n);
		return -1;
	}
	while (off < n) {
		uint16_t sid, slen;
		size_t end;

		if (n - off < 4) {
			snprintf(d->err, sizeof(d->err), "set header cut at %zu", off);
			return -1;
		}
		sid = g16(p + off);
		slen = g16(p + off + 2);
		if (slen < 4 || off + slen > n) {
			snprintf(d->err, sizeof(d->err), "set %u at %zu: length %u overruns", sid, off, slen);
			return -1;
		}
		end = off + slen;
		off += 4;
		if (sid == 2) {
			d->ntemplate_sets++;
			while (end - off >= 4) {
				struct tmpl t = { g16(p + off), g16(p + off + 2), { { 0 } } };
				int i;

				off += 4;
				for (i = 0; i < t.n && i < 32; i++) {
					uint16_t id = g16(p + off);

					t.f[i].id = id & 0x7fff;
					t.f[i].len = g16(p + off + 2);
					off += 4;
					if (id & 0x8000) {
						t.f[i].pen = g32(p + off);
						off += 4;
					}
				}
				if (off > end) {
					snprintf(d->err, sizeof(d->err), "template %u overruns its set", t.id);
					return -1;
				}
				for (i = 0; i < *nknown && known[i].id != t.id; i++)
					;
				known[i] = t;
				if (i == *nknown)
					(*nknown)++;
				d->tmpl[d->ntmpl++ % 4] = t;
			}
		} else if (sid >= 256) {
			struct tmpl *t = NULL;
			size_t rl = 0;
			int i;

			for (i = 0; i < *nknown; i++)
				if (known[i].id == sid)
					t = &known[i];
			if (!t) {
				snprintf(d->err, sizeof(d->err), "data set %u before its template", sid);
				return -1;
			}
			d->ndata_sets++;
			for (i = 0; i < t->n; i++)
				rl += t->f[i].len;
			while (end - off >= rl && d->nrec < 64) {
				struct drec *r = &d->rec[d->nrec++];

				r->tid = sid;
				r->t = t;
				for (i = 0; i < t->n; i++) {
					const uint8_t *q = p + off;

					if (!t->f[i].pen && (t->f[i].id == 8 || t->f[i].id == 27))
						memcpy(r->src, q, t->f[i].len);
					else if (!t->f[i].pen && (t->f[i].id == 12 || t->f[i].id == 28))
						memcpy(r->dst, q, t->f[i].len);
					else if (t->f[i].len == 1) r->v[i] = q[0];
					else if (t->f[i].len == 2) r->v[i] = g16(q);
					else if (t->f[i].len == 4) r->v[i] = g32(q);
					else if (t->f[i].len == 8) r->v[i] = g64(q);
					off += t->f[i].len;
				}
			}
			if (end - off >= 4) {   /* padding is allowed, but shorter than a record */
				snprintf(d->err, sizeof(d->err), "data set %u: %zu bytes left over", sid, end - off);
				return -1;
			}
		}
		off = end;
	}
	return 0;
}

/* The value of element id (enterprise pen, 0 for IANA) in a decoded record; -1 when absent. */
static int64_t field(const struct drec *r, uint16_t id, uint32_t pen)
{
	int i;

	for (i = 0; i < r->t->n; i++)
		if (r->t->f[i].id == id && r->t->f[i].pen == pen)
			return (int64_t)r->v[i];
	return -1;
}

/* ---- known records ------------------------------------------------------------------------------ */

static void v4(uint8_t out[16], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	memset(out, 0, 16);
	out[10] = out[11] = 0xff;
	out[12] = a; out[13] = b; out[14] = c; out[15] = d;
}

static void known_records(struct record *r, int *n)
{
	uint64_t t0 = 1795000000123ull;
	int i = 0;

	memset(r, 0, sizeof(*r) * 6);
	/* forward accept, TCP with SYN|ACK|PSH, counts above 2^32 */
	r[i].v4 = 1; v4(r[i].src, 198, 51, 100, 7); v4(r[i].dst, 203, 0, 113, 80);
	r[i].sport = 40001; r[i].dport = 443; r[i].proto = 6; r[i].hook = 1; r[i].verdict = 0;
	r[i].packets = 5000000123ull; r[i].bytes = 7000000000456ull; r[i].first_ms = t0; r[i].last_ms = t0 + 9876;
	r[i].tcp_flags = 0x1a; r[i].in_if = 2; r[i].out_if = 3; r[i].rule_id = 0xdeadbeef;
	r[i].generation = 0x0123456789abcdefull; r[i].seq = 0; i++;
	/* input drop, UDP */
	r[i].v4 = 1; v4(r[i].src, 198, 51, 100, 8); v4(r[i].dst, 192, 0, 2, 1);
	r[i].sport = 5353; r[i].dport = 53; r[i].proto = 17; r[i].hook = 0; r[i].verdict = 1;
	r[i].packets = 3; r[i].bytes = 219; r[i].first_ms = t0 + 1; r[i].last_ms = t0 + 2001;
	r[i].in_if = 3; r[i].rule_id = 42; r[i].generation = 7; r[i].seq = 1; i++;
	/* input accept (consumed by the box), TCP */
	r[i].v4 = 1; v4(r[i].src, 198, 51, 100, 9); v4(r[i].dst, 192, 0, 2, 1);
	r[i].sport = 51000; r[i].dport = 22; r[i].proto = 6; r[i].hook = 0; r[i].verdict = 0;
	r[i].packets = 12; r[i].bytes = 1500; r[i].first_ms = t0 + 5; r[i].last_ms = t0 + 6;
	r[i].tcp_flags = 0x10; r[i].in_if = 4; r[i].rule_id = 1; r[i].generation = 7; r[i].seq = 2; i++;
	/* IPv6 forward reject, TCP */
	r[i].v4 = 0; inet_pton(AF_INET6, "2001:db8::17", r[i].src); inet_pton(AF_INET6, "2001:db8:1::80", r[i].dst);
	r[i].sport = 60000; r[i].dport = 3389; r[i].proto = 6; r[i].hook = 1; r[i].verdict = 2;
	r[i].packets = 2; r[i].bytes = 120; r[i].first_ms = t0 + 10; r[i].last_ms = t0 + 1010;
	r[i].tcp_flags = 0x02; r[i].in_if = 3; r[i].out_if = 2; r[i].rule_id = 99; r[i].generation = 8;
	r[i].seq = 3; i++;
	/* IPv6 output accept, UDP (NTP) */
	r[i].v4 = 0; inet_pton(AF_INET6, "2001:db8::1", r[i].src); inet_pton(AF_INET6, "2001:db8:ffff::123", r[i].dst);
	r[i].sport = 123; r[i].dport = 123; r[i].proto = 17; r[i].hook = 2; r[i].verdict = 0;
	r[i].packets = 1; r[i].bytes = 76; r[i].first_ms = t0 + 20; r[i].last_ms = t0 + 20;
	r[i].out_if = 3; r[i].rule_id = 0; r[i].generation = 8; r[i].seq = 4; i++;
	/* IPv4 again after IPv6: a third data set; a policy decision (rule 0), ICMP */
	r[i].v4 = 1; v4(r[i].src, 198, 51, 100, 10); v4(r[i].dst, 203, 0, 113, 1);
	r[i].proto = 1; r[i].hook = 1; r[i].verdict = 1; r[i].packets = 4; r[i].bytes = 336;
	r[i].first_ms = t0 + 30; r[i].last_ms = t0 + 3030; r[i].tcp_flags = 0x3f; /* not TCP: exported as 0 */
	r[i].in_if = 3; r[i].out_if = 2; r[i].generation = 8; r[i].seq = 5; i++;
	*n = i;
}

/* forwardingStatus as RFC 7270 and our mapping say, written out independently of the encoder. */
static const uint8_t expected_fwd[] = { 64, 130, 195, 129, 64, 130 };

/* The templates we promise in docs/telemetry.md, as IANA numbers. */
static const struct tfield expect_v4[] = { { 8, 4, 0 }, { 12, 4, 0 }, { 7, 2, 0 }, { 11, 2, 0 }, { 4, 1, 0 },
	{ 6, 2, 0 }, { 2, 8, 0 }, { 1, 8, 0 }, { 152, 8, 0 }, { 153, 8, 0 }, { 10, 4, 0 }, { 14, 4, 0 },
	{ 89, 1, 0 }, { 1, 4, 32473 }, { 2, 8, 32473 }, { 3, 1, 32473 } };

static void check_record(const struct drec *d, const struct record *r, uint8_t fwd, const char *what)
{
	size_t alen = r->v4 ? 4 : 16;
	const uint8_t *s = r->v4 ? r->src + 12 : r->src, *t = r->v4 ? r->dst + 12 : r->dst;

	CHECK(d->tid == (r->v4 ? 256 : 257), "%s: template %u", what, d->tid);
	CHECK(!memcmp(d->src, s, alen) && !memcmp(d->dst, t, alen), "%s: addresses", what);
	CHECK(field(d, 7, 0) == r->sport && field(d, 11, 0) == r->dport, "%s: ports", what);
	CHECK(field(d, 4, 0) == r->proto, "%s: protocol", what);
	CHECK(field(d, 6, 0) == (r->proto == 6 ? r->tcp_flags : 0), "%s: tcp flags %lld", what,
	      (long long)field(d, 6, 0));
	CHECK((uint64_t)field(d, 2, 0) == r->packets, "%s: packets %lld", what, (long long)field(d, 2, 0));
	CHECK((uint64_t)field(d, 1, 0) == r->bytes, "%s: bytes %lld", what, (long long)field(d, 1, 0));
	CHECK((uint64_t)field(d, 152, 0) == r->first_ms && (uint64_t)field(d, 153, 0) == r->last_ms,
	      "%s: times", what);
	CHECK(field(d, 10, 0) == r->in_if && field(d, 14, 0) == r->out_if, "%s: interfaces", what);
	CHECK(field(d, 89, 0) == fwd, "%s: forwardingStatus %lld, want %u", what, (long long)field(d, 89, 0), fwd);
	CHECK(field(d, 1, 32473) == r->rule_id, "%s: rule id", what);
	CHECK((uint64_t)field(d, 2, 32473) == r->generation, "%s: generation", what);
	CHECK(field(d, 3, 32473) == r->hook, "%s: hook", what);
}

static void test_encoding(void)
{
	struct record r[6];
	uint8_t buf[1472];
	struct ipfix_msg m;
	struct decoded *d = calloc(1, sizeof(*d));
	struct tmpl known[4];
	int n, i, nk = 0, j;
	size_t len;

	known_records(r, &n);
	ipfix_msg_begin(&m, buf, sizeof(buf), 1795000000u, 4242, 77, 1);
	for (i = 0; i < n; i++)
		CHECK(ipfix_msg_add(&m, &r[i]) == 0, "record %d fits", i);
	len = ipfix_msg_finish(&m);
	CHECK(decode(buf, len, d, known, &nk) == 0, "decode: %s", d->err);
	CHECK(d->version == 10, "version %u", d->version);
	CHECK(d->length == len, "length");
	CHECK(d->export_time == 1795000000u && d->seq == 4242 && d->domain == 77, "header fields");
	CHECK(d->ntemplate_sets == 1 && d->ntmpl == 2, "one template set with two templates (%d, %d)",
	      d->ntemplate_sets, d->ntmpl);
	CHECK(d->tmpl[0].id == 256 && d->tmpl[1].id == 257, "template ids %u %u", d->tmpl[0].id, d->tmpl[1].id);
	for (j = 0; j < 2; j++) {
		CHECK(d->tmpl[j].n == 16, "template %u: %u fields", d->tmpl[j].id, d->tmpl[j].n);
		for (i = 0; i < 16; i++) {
			struct tfield e = expect_v4[i];

			if (j == 1 && i < 2)
				e = (struct tfield){ (uint16_t)(i ? 28 : 27), 16, 0 };
			CHECK(d->tmpl[j].f[i].id == e.id && d->tmpl[j].f[i].len == e.len && d->tmpl[j].f[i].pen == e.pen,
			      "template %u field %d: %u/%u/%u, want %u/%u/%u", d->tmpl[j].id, i, d->tmpl[j].f[i].id,
			      d->tmpl[j].f[i].len, d->tmpl[j].f[i].pen, e.id, e.len, e.pen);
		}
	}
	/* v4, v4, v4 | v6, v6 | v4: a new set each time the template changes */
	CHECK(d->ndata_sets == 3, "data sets %d", d->ndata_sets);
	CHECK(d->nrec == n, "records %d of %d", d->nrec, n);
	for (i = 0; i < n && i < d->nrec; i++) {
		char what[32];

		snprintf(what, sizeof(what), "record %d", i);
		check_record(&d->rec[i], &r[i], expected_fwd[i], what);
	}
	/* exact size: header 16 + template set (4 + 2 x (4 + 13 x 4 + 3 x 8)) + three set headers
	 * + four IPv4 records of 69 bytes + two IPv6 records of 93 */
	CHECK(len == 16 + 164 + 12 + 4 * 69 + 2 * 93, "message length %zu", len);

	/* A message without templates cannot be read alone, but with the ones already known it can. */
	ipfix_msg_begin(&m, buf, sizeof(buf), 1795000001u, 4248, 77, 0);
	CHECK(ipfix_msg_add(&m, &r[3]) == 0, "v6 record fits");
	len = ipfix_msg_finish(&m);
	CHECK(len == 16 + 4 + 93, "data-only message length %zu", len);
	CHECK(decode(buf, len, d, known, &nk) == 0 && d->ntemplate_sets == 0 && d->nrec == 1, "data-only decode: %s", d->err);
	{
		struct tmpl none[4];
		int nn = 0;

		CHECK(decode(buf, len, d, none, &nn) == -1 && strstr(d->err, "before its template"),
		      "data before template is refused: %s", d->err);
	}

	/* A full message refuses the record that would not fit, and stays intact; the buffer is
	 * exactly the cap so that ASan sees any write past it. */
	for (j = 512; j < 900; j++) {
		uint8_t *small = malloc((size_t)j);

		ipfix_msg_begin(&m, small, (size_t)j, 1, 0, 1, 1);
		for (i = 0; ipfix_msg_add(&m, &r[i % n]) == 0; i++)
			;
		len = ipfix_msg_finish(&m);
		CHECK(len <= (size_t)j && i > 0, "capped message: %zu bytes, %d records", len, i);
		CHECK(len + (r[i % n].v4 ? 69 : 93) + 4 > (size_t)j, "cap %d: record %d refused with room left (%zu)", j, i, len);
		CHECK(decode(small, len, d, known, &nk) == 0 && d->nrec == i, "capped message decodes: %s (%d of %d)",
		      d->err, d->nrec, i);
		free(small);
	}
	free(d);
}

/* ---- the exporter over loopback UDP ---------------------------------------------------------------- */

static int udp_listener(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || getsockname(fd, (struct sockaddr *)&sa, &sl))
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Receives one datagram, waiting up to ms; its length, or 0 when none came. */
static size_t recv_one(int fd, uint8_t *buf, size_t cap, int ms)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	ssize_t r;

	if (poll(&pf, 1, ms) <= 0)
		return 0;
	r = recv(fd, buf, cap, 0);
	return r > 0 ? (size_t)r : 0;
}

static char logged[4096];
static void capture_log(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(logged);

	va_start(ap, fmt);
	vsnprintf(logged + n, sizeof(logged) - n, fmt, ap);
	va_end(ap);
	n = strlen(logged);
	if (n < sizeof(logged) - 1)
		strcat(logged, "\n");
}

static void test_exporter(void)
{
	struct ipfix *x = calloc(1, sizeof(*x));
	struct decoded *d = calloc(1, sizeof(*d));
	struct tmpl known[4];
	struct record base[6], r;
	uint8_t buf[65536];
	char spec[64], err[300];
	uint16_t port;
	int fd = udp_listener(&port), nk = 0, n, i, total = 0, msgs = 0, with_templates = 0;
	uint32_t expect_seq = 0;
	uint64_t now = 1000000, wall = 1795000000000ull;
	size_t len;

	CHECK(fd >= 0, "listener");
	known_records(base, &n);
	ipfix_init(x, 5, 30, capture_log);
	snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);
	CHECK(ipfix_add_collector(x, spec, err, sizeof(err)) == 0, "add collector: %s", err);
	CHECK(x->max_msg == IPFIX_MAX_MESSAGE, "loopback's MTU caps at %d: %zu", IPFIX_MAX_MESSAGE, x->max_msg);
	x->max_msg = 600;   /* force several messages */

	/* At start the templates go out at once, alone. */
	ipfix_tick(x, now, wall);
	len = recv_one(fd, buf, sizeof(buf), 1000);
	CHECK(len > 0 && decode(buf, len, d, known, &nk) == 0, "template message: %s", d->err);
	CHECK(d->ntemplate_sets == 1 && d->nrec == 0 && d->seq == 0 && d->domain == 5, "template-only message");

	/* 60 records: several messages under 600 bytes, sequence numbers counting data records. */
	for (i = 0; i < 60; i++) {
		r = base[i % n];
		r.seq = (uint64_t)i;
		r.packets = 1000 + (uint64_t)i;
		ipfix_export(x, &r, now, wall);
	}
	ipfix_tick(x, now + 999, wall);         /* not yet due */
	while ((len = recv_one(fd, buf, sizeof(buf), 50)) > 0) {
		CHECK(len <= 600, "message of %zu bytes over the cap", len);
		CHECK(decode(buf, len, d, known, &nk) == 0, "decode: %s", d->err);
		CHECK(d->seq == expect_seq, "message %d: sequence %u, want %u", msgs, d->seq, expect_seq);
		for (i = 0; i < d->nrec; i++)
			CHECK((uint64_t)field(&d->rec[i], 2, 0) == 1000 + (uint64_t)(total + i),
			      "record order/loss at %d", total + i);
		with_templates += d->ntemplate_sets;
		expect_seq += (uint32_t)d->nrec;
		total += d->nrec;
		msgs++;
	}
	CHECK(msgs >= 6 && total < 60, "full messages went out before the flush (%d messages, %d records)", msgs, total);
	ipfix_tick(x, now + 1000, wall);        /* the partial message waited long enough */
	while ((len = recv_one(fd, buf, sizeof(buf), 50)) > 0) {
		CHECK(decode(buf, len, d, known, &nk) == 0 && d->seq == expect_seq, "flushed message seq %u", d->seq);
		expect_seq += (uint32_t)d->nrec;
		total += d->nrec;
		with_templates += d->ntemplate_sets;
		msgs++;
	}
	CHECK(total == 60, "all records arrived: %d", total);
	CHECK(with_templates == 0, "no templates before their refresh (%d)", with_templates);

	/* Refresh: 30 s after the last template send they go out again, with the current sequence. */
	ipfix_tick(x, now + 29999, wall);
	CHECK(recv_one(fd, buf, sizeof(buf), 50) == 0, "no templates before 30 s");
	r = base[3];
	ipfix_export(x, &r, now + 30000, wall + 30000);
	ipfix_flush(x, now + 30000, wall + 30000);
	len = recv_one(fd, buf, sizeof(buf), 1000);
	CHECK(len > 0 && decode(buf, len, d, known, &nk) == 0, "refresh message: %s", d->err);
	CHECK(d->ntemplate_sets == 1 && d->nrec == 1 && d->seq == 60 && d->export_time == (wall + 30000) / 1000,
	      "refresh carries templates and data (sets %d, records %d, seq %u)", d->ntemplate_sets, d->nrec, d->seq);
	CHECK(x->records == 61 && x->col[0].send_errors == 0, "counters: %llu records, %llu errors",
	      (unsigned long long)x->records, (unsigned long long)x->col[0].send_errors);
	ipfix_close(x, now + 30001, wall);
	close(fd);
	free(x);
	free(d);
}

/* A collector port with nobody listening: ICMP port unreachable comes back as ECONNREFUSED. */
static void test_unreachable(void)
{
	struct ipfix *x = calloc(1, sizeof(*x));
	struct record base[6];
	char spec[64], err[300], st[1024];
	uint16_t port;
	int fd = udp_listener(&port), n, i;
	uint64_t now = 5000;

	close(fd);
	known_records(base, &n);
	logged[0] = 0;
	ipfix_init(x, 1, 60, capture_log);
	snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);
	CHECK(ipfix_add_collector(x, spec, err, sizeof(err)) == 0, "add collector: %s", err);
	for (i = 0; i < 20; i++) {
		ipfix_export(x, &base[0], now, 1795000000000ull);
		ipfix_flush(x, now, 1795000000000ull);
		usleep(2000);
		now += 10;
	}
	CHECK(x->col[0].send_errors > 0 && x->col[0].refused == x->col[0].send_errors,
	      "refusals counted: %llu errors, %llu refused", (unsigned long long)x->col[0].send_errors,
	      (unsigned long long)x->col[0].refused);
	CHECK(x->seq == 20 && x->messages == 20, "the stream goes on: seq %u", x->seq);
	CHECK(strstr(logged, "Connection refused") && strstr(logged, spec), "logged: %s", logged);
	CHECK(strchr(logged, '\n') && !strchr(strchr(logged, '\n') + 1, '\n'), "one log line, not one per send: %s", logged);
	ipfix_status(x, st, sizeof(st));
	CHECK(strstr(st, "refused") && strstr(st, "failing"), "status: %s", st);
	ipfix_close(x, now, 0);
	free(x);
}

static void test_bad_specs(void)
{
	static const char *bad[] = { "collector", "host:0", "host:70000", "127.0.0.1:", "127.0.0.1:12x",
		"::1:4739", "[::1:4739", ":4739", "no-such-host.invalid:4739" };
	static const char *want[] = { "HOST:PORT", "port", "port", "port", "port", "brackets", "unbalanced",
		"HOST:PORT", "cannot resolve" };
	struct ipfix x;
	char err[300];
	size_t i;

	ipfix_init(&x, 1, 60, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		CHECK(ipfix_add_collector(&x, bad[i], err, sizeof(err)) == -1, "'%s' accepted", bad[i]);
		CHECK(strstr(err, want[i]) && strstr(err, bad[i]), "'%s': message '%s' lacks '%s'", bad[i], err, want[i]);
	}
	CHECK(x.ncol == 0, "no collector added");
	CHECK(ipfix_add_collector(&x, "[::1]:4739", err, sizeof(err)) == 0, "[::1]:4739: %s", err);
	ipfix_close(&x, 0, 0);
}

/* Exports the known records to a real collector and prints them as --ipfix-dump would. */
static int send_known(const char *spec)
{
	struct ipfix *x = calloc(1, sizeof(*x));
	struct record r[6];
	char err[300];
	int n, i;
	uint64_t now = 1;

	known_records(r, &n);
	ipfix_init(x, 9, 60, NULL);
	if (ipfix_add_collector(x, spec, err, sizeof(err))) {
		fprintf(stderr, "test-ipfix: %s\n", err);
		return 2;
	}
	x->dump = stdout;
	ipfix_tick(x, now, 1795000000000ull);
	for (i = 0; i < n; i++)
		ipfix_export(x, &r[i], now, 1795000000000ull);
	ipfix_flush(x, now, 1795000000000ull);
	x->dump = NULL;
	i = x->col[0].send_errors ? 1 : 0;
	ipfix_close(x, now, 0);
	free(x);
	return i;
}

/* The known records in one message, as a classic pcap file of one raw IPv4/UDP packet to port
 * 4739, so that tshark can decode what nfdump does not show (forwardingStatus, the enterprise
 * elements). */
static int write_pcap(const char *path)
{
	static const uint8_t file_head[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 101, 0, 0, 0 }; /* little-endian magic, v2.4, snaplen 65535, LINKTYPE_RAW */
	struct record r[6];
	uint8_t pkt[28 + 1472] = { 0 }, rec[16];
	struct ipfix_msg m;
	size_t len, total;
	int n, i;
	FILE *f = fopen(path, "wb");

	if (!f)
		return 2;
	known_records(r, &n);
	ipfix_msg_begin(&m, pkt + 28, 1472, 1795000000u, 0, 9, 1);
	for (i = 0; i < n; i++)
		ipfix_msg_add(&m, &r[i]);
	len = ipfix_msg_finish(&m);
	total = 28 + len;
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(total >> 8); pkt[3] = (uint8_t)total;
	pkt[8] = 64; pkt[9] = 17;
	pkt[12] = 127; pkt[15] = 1; pkt[16] = 127; pkt[19] = 1;
	pkt[20] = 0x12; pkt[21] = 0x83;           /* source port 4739 */
	pkt[22] = 0x12; pkt[23] = 0x83;           /* destination port 4739 */
	pkt[24] = (uint8_t)((total - 20) >> 8); pkt[25] = (uint8_t)(total - 20);
	memset(rec, 0, sizeof(rec));
	rec[8] = rec[12] = (uint8_t)total;       /* captured and original length, little-endian */
	rec[9] = rec[13] = (uint8_t)(total >> 8);
	i = fwrite(file_head, 1, 24, f) != 24 || fwrite(rec, 1, 16, f) != 16 || fwrite(pkt, 1, total, f) != total;
	return fclose(f) || i ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--send"))
		return send_known(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--pcap"))
		return write_pcap(argv[2]);
	test_encoding();
	test_exporter();
	test_unreachable();
	test_bad_specs();
	if (failures) {
		fprintf(stderr, "test-ipfix: %d failures\n", failures);
		return 1;
	}
	printf("test-ipfix: all passed\n");
	return 0;
}
