// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame codec and link tests: decoding of good, broken and hostile frames, and two links talking
 * over a simulated line that drops, duplicates and flips 1% of bytes each way.
 */
#include "../link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(c, ...) do { if (!(c)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void test_codec(void)
{
	uint8_t buf[RL_MAX_FRAME + 64], pay[100];
	struct rl_frame f;
	size_t n, used;
	int reason, st, i;

	for (i = 0; i < 100; i++)
		pay[i] = (uint8_t)(i * 7);
	n = rl_encode(buf, RL_DATA, 0, 42, 17, pay, 100);
	CHECK(n == 120, "frame size %zu", n);
	st = rl_decode(buf, n, &f, &used, &reason);
	CHECK(st == RL_FRAME && used == n && f.seq == 42 && f.ack == 17 && f.flags == 0
	      && f.length == 100 && !memcmp(f.payload, pay, 100), "round trip");
	for (i = 1; i < (int)n; i++)
		CHECK(rl_decode(buf, i, &f, &used, &reason) == RL_NEED_MORE, "prefix %d needs more", i);

	/* Garbage before the frame is skipped up to the sync byte. */
	memmove(buf + 3, buf, n);
	memcpy(buf, "abc", 3);
	st = rl_decode(buf, n + 3, &f, &used, &reason);
	CHECK(st == RL_SKIP && used == 3 && reason == 0, "garbage skipped");

	/* A flipped payload byte fails the CRC, a flipped header byte the header check. */
	n = rl_encode(buf, RL_DATA, 0, 1, 0, pay, 100);
	buf[40] ^= 0x10;
	st = rl_decode(buf, n, &f, &used, &reason);
	CHECK(st == RL_SKIP && reason == 2 && used == 1, "bad crc (st %d reason %d)", st, reason);
	n = rl_encode(buf, RL_DATA, 0, 1, 0, pay, 100);
	buf[5] ^= 0x01;
	st = rl_decode(buf, n, &f, &used, &reason);
	CHECK(st == RL_SKIP && reason == 1, "bad header check");

	/* Oversized length and unknown kind, with a valid header check: malformed, not a hang. */
	n = rl_encode(buf, RL_DATA, 0, 1, 0, NULL, 0);
	rl_put16(buf + 12, RL_MAX_PAYLOAD + 1);
	rl_put16(buf + 14, (uint16_t)rl_crc32c(buf, 14));
	st = rl_decode(buf, 16, &f, &used, &reason);
	CHECK(st == RL_BAD_FRAME && reason == RL_E_TOO_LARGE && used == 2, "oversized");
	n = rl_encode(buf, 9, 0, 1, 0, NULL, 0);
	st = rl_decode(buf, n, &f, &used, &reason);
	CHECK(st == RL_BAD_FRAME && reason == RL_E_MALFORMED, "unknown kind");
	n = rl_encode(buf, RL_ACK, 0x80, 1, 0, NULL, 0);
	st = rl_decode(buf, n, &f, &used, &reason);
	CHECK(st == RL_BAD_FRAME && reason == RL_E_MALFORMED, "unknown flags");

	/* CRC-32C check value of "123456789". */
	CHECK(rl_crc32c((const uint8_t *)"123456789", 9) == 0xe3069283u, "crc32c check value");
}

/* A one-way simulated line with byte faults. */
struct line {
	uint8_t *buf;
	size_t len, cap;
	unsigned drop, dup, flip;   /* per 10000 bytes */
	uint64_t rng;
	unsigned long faults;
};

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

static void line_put(struct line *ln, uint8_t b)
{
	if (ln->len == ln->cap) {
		ln->cap = ln->cap ? 2 * ln->cap : 4096;
		ln->buf = realloc(ln->buf, ln->cap);
	}
	ln->buf[ln->len++] = b;
}

static void line_write(struct line *ln, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t r = rnd(&ln->rng) % 10000;

		if (r < ln->drop) {
			ln->faults++;
			continue;
		}
		if (r < ln->drop + ln->flip) {
			ln->faults++;
			line_put(ln, p[i] ^ (uint8_t)(1u << (rnd(&ln->rng) % 8)));
			continue;
		}
		line_put(ln, p[i]);
		if (r < ln->drop + ln->flip + ln->dup) {
			ln->faults++;
			line_put(ln, p[i]);
		}
	}
}

struct end {
	struct rl_link link;
	struct line *out;
	uint64_t rng;          /* regenerates the peer's expected messages */
	unsigned received;
	int sessions, errors, dead;
	int last_error;
};

static size_t message_for(uint64_t *rng, unsigned i, uint8_t *m)
{
	size_t n = 1 + rnd(rng) % 3000, k;

	rl_put32(m, i);
	for (k = 4; k < n + 4; k++)
		m[k] = (uint8_t)rnd(rng);
	return n + 4;
}

static void cb_write(void *ctx, const uint8_t *p, size_t n)
{
	struct end *e = ctx;

	line_write(e->out, p, n);
}

static void cb_message(void *ctx, const uint8_t *p, size_t n)
{
	struct end *e = ctx;
	uint8_t want[3100];
	size_t wn = message_for(&e->rng, e->received, want);

	CHECK(n == wn && !memcmp(p, want, n), "message %u differs (got %zu bytes, index %u)",
	      e->received, n, n >= 4 ? rl_get32(p) : 0);
	e->received++;
}

static void cb_session(void *ctx) { ((struct end *)ctx)->sessions++; }
static void cb_error(void *ctx, int code, const char *text)
{
	struct end *e = ctx;

	e->errors++;
	e->last_error = code;
}
static void cb_dead(void *ctx) { ((struct end *)ctx)->dead++; }

static void transfer(struct line *ln, struct end *to, uint64_t now)
{
	/* Deliver in uneven slices, as a serial driver would. */
	size_t off = 0;

	while (off < ln->len) {
		size_t k = 1 + rnd(&ln->rng) % 700;

		if (k > ln->len - off)
			k = ln->len - off;
		rl_input(&to->link, ln->buf + off, k, now);
		off += k;
	}
	ln->len = 0;
}

static void test_noisy_line(unsigned per10000, unsigned count)
{
	struct rl_callbacks cb = { cb_write, cb_message, cb_session, cb_error, NULL, cb_dead };
	struct line ab = { .drop = per10000, .dup = per10000, .flip = per10000, .rng = 11 };
	struct line ba = { .drop = per10000, .dup = per10000, .flip = per10000, .rng = 23 };
	struct end a = { .out = &ab, .rng = 5 }, b = { .out = &ba, .rng = 5 };
	uint64_t gen_a = 5, gen_b = 5, now = 0;
	unsigned sent_a = 0, sent_b = 0, steps = 0;
	static uint8_t m[3100];

	rl_init(&a.link, 1, &cb, &a);
	rl_init(&b.link, 0, &cb, &b);
	rl_start(&a.link, now, 0x1234);
	while ((a.received < count || b.received < count) && steps < 2000000) {
		if (sent_a < count && rl_queued(&a.link) < 20000) {
			size_t n = message_for(&gen_a, sent_a++, m);

			rl_send(&a.link, m, n, now);
		}
		if (b.sessions && sent_b < count && rl_queued(&b.link) < 20000) {
			size_t n = message_for(&gen_b, sent_b++, m);

			rl_send(&b.link, m, n, now);
		}
		transfer(&ab, &b, now);
		transfer(&ba, &a, now);
		now += 5;
		rl_tick(&a.link, now);
		rl_tick(&b.link, now);
		steps++;
	}
	CHECK(a.received == count && b.received == count, "noisy %u/10000: a got %u, b got %u of %u",
	      per10000, a.received, b.received, count);
	CHECK(a.dead == 0 && b.dead == 0, "link declared dead");
	CHECK(b.sessions == 1, "server sessions %d", b.sessions);
	if (per10000)
		CHECK(ab.faults > 0 && a.link.stats.retransmits > 0, "faults were injected and repaired");
	printf("noisy line %u/10000 per fault kind: %u messages each way, %lu+%lu faults, "
	       "%u+%u retransmits, %u bad crc, %u bad headers, simulated %.1f s\n",
	       per10000, count, ab.faults, ba.faults, a.link.stats.retransmits,
	       b.link.stats.retransmits, a.link.stats.rx_bad_crc + b.link.stats.rx_bad_crc,
	       a.link.stats.rx_bad_header + b.link.stats.rx_bad_header, now / 1000.0);
	rl_free(&a.link);
	rl_free(&b.link);
	free(ab.buf);
	free(ba.buf);
}

static void test_version_and_garbage(void)
{
	struct rl_callbacks cb = { cb_write, cb_message, cb_session, cb_error, NULL, cb_dead };
	struct line back = { 0 }, fwd = { 0 };
	struct end srv = { .out = &back, .rng = 5 }, cli = { .out = &fwd, .rng = 5 };
	uint8_t hello[20], frame[64];
	size_t n;

	rl_init(&srv.link, 0, &cb, &srv);
	rl_init(&cli.link, 1, &cb, &cli);
	memcpy(hello, "RMPL", 4);
	rl_put16(hello + 4, 3);
	rl_put16(hello + 6, 4);
	rl_put32(hello + 8, 0);
	rl_put32(hello + 12, 99);
	rl_put16(hello + 16, 1024);
	rl_put16(hello + 18, 4);
	n = rl_encode(frame, RL_HELLO, 0, 0, 0, hello, 20);
	rl_input(&srv.link, (const uint8_t *)"hello there\r\n", 13, 0);
	rl_input(&srv.link, frame, n, 0);
	transfer(&back, &cli, 0);
	CHECK(cli.errors == 1 && cli.last_error == RL_E_VERSION, "version refused (errors %d code %d)",
	      cli.errors, cli.last_error);
	CHECK(srv.sessions == 0, "no session from a bad version");

	/* Oversized frame: error back, and the server still accepts a proper hello afterwards. */
	n = rl_encode(frame, RL_DATA, 0, 0, 0, NULL, 0);
	rl_put16(frame + 12, 60000);
	rl_put16(frame + 14, (uint16_t)rl_crc32c(frame, 14));
	rl_input(&srv.link, frame, 16, 0);
	transfer(&back, &cli, 0);
	CHECK(cli.errors == 2 && cli.last_error == RL_E_TOO_LARGE, "oversized refused");
	rl_start(&cli.link, 0, 7);
	transfer(&fwd, &srv, 0);
	transfer(&back, &cli, 0);
	CHECK(srv.sessions == 1 && cli.sessions == 1, "session after errors");
	CHECK(srv.link.stats.rx_malformed == 1, "malformed counted: %u", srv.link.stats.rx_malformed);
	rl_free(&srv.link);
	rl_free(&cli.link);
	free(back.buf);
	free(fwd.buf);
}

int main(void)
{
	test_codec();
	test_version_and_garbage();
	test_noisy_line(0, 300);
	test_noisy_line(33, 300);   /* 1% of bytes hit: a third each dropped, flipped, duplicated */
	test_noisy_line(67, 200);   /* 2% of bytes hit */
	if (failures) {
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	printf("test-link: all passed\n");
	return 0;
}
