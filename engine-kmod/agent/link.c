// SPDX-License-Identifier: GPL-2.0-only
/* Frame codec and go-back-N link of docs/protocol.md. */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RTO_CAP_MS 8000
#define MIN_FRAME 32
#define START_FRAME 256
#define GROW_AFTER 16
#define HELLO_EVERY_MS 250

static uint32_t crc_table[256];

static void crc_init(void)
{
	uint32_t i, c;
	int k;

	if (crc_table[1])
		return;
	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
		crc_table[i] = c;
	}
}

uint32_t rl_crc32c(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	crc_init();
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

size_t rl_encode(uint8_t *out, uint8_t kind, uint8_t flags, uint32_t seq, uint32_t ack,
		 const uint8_t *payload, uint16_t length)
{
	out[0] = RL_SYNC0;
	out[1] = RL_SYNC1;
	out[2] = kind;
	out[3] = flags;
	rl_put32(out + 4, seq);
	rl_put32(out + 8, ack);
	rl_put16(out + 12, length);
	rl_put16(out + 14, (uint16_t)rl_crc32c(out, 14));
	if (length)
		memcpy(out + RL_HEADER, payload, length);
	rl_put32(out + RL_HEADER + length, rl_crc32c(out, RL_HEADER + length));
	return RL_HEADER + (size_t)length + RL_TRAILER;
}

int rl_decode(const uint8_t *b, size_t n, struct rl_frame *f, size_t *used, int *reason)
{
	size_t i = 0, len;

	while (i < n && b[i] != RL_SYNC0)
		i++;
	if (i > 0) {
		*used = i;
		*reason = 0;
		return RL_SKIP;
	}
	if (n < 2)
		return RL_NEED_MORE;
	if (b[1] != RL_SYNC1) {
		*used = 1;
		*reason = 0;
		return RL_SKIP;
	}
	if (n < RL_HEADER)
		return RL_NEED_MORE;
	if (rl_get16(b + 14) != (uint16_t)rl_crc32c(b, 14)) {
		*used = 1;
		*reason = 1;
		return RL_SKIP;
	}
	len = rl_get16(b + 12);
	if (len > RL_MAX_PAYLOAD) {
		*used = 2;
		*reason = RL_E_TOO_LARGE;
		return RL_BAD_FRAME;
	}
	if (b[2] < RL_HELLO || b[2] > RL_BYE || b[3]) {
		*used = 2;
		*reason = RL_E_MALFORMED;
		return RL_BAD_FRAME;
	}
	if (n < RL_HEADER + len + RL_TRAILER) {
		/* A sound header further on means this frame lost bytes: give it up now rather than
		 * wait for bytes that would only complete it with the next frame's. */
		size_t j;

		for (j = 2; j + RL_HEADER <= n; j++)
			if (b[j] == RL_SYNC0 && b[j + 1] == RL_SYNC1
			    && rl_get16(b + j + 14) == (uint16_t)rl_crc32c(b + j, 14)) {
				*used = 1;
				*reason = 2;
				return RL_SKIP;
			}
		return RL_NEED_MORE;
	}
	if (rl_get32(b + RL_HEADER + len) != rl_crc32c(b, RL_HEADER + len)) {
		*used = 1;
		*reason = 2;
		return RL_SKIP;
	}
	f->kind = b[2];
	f->flags = b[3];
	f->seq = rl_get32(b + 4);
	f->ack = rl_get32(b + 8);
	f->length = (uint16_t)len;
	f->payload = b + RL_HEADER;
	*used = RL_HEADER + len + RL_TRAILER;
	return RL_FRAME;
}

/* Callers may pass a clock reading taken before one used inside: never underflow. */
static uint64_t elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/* Serial-number comparison: a before b in u32 wrapping order. */
static int before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void emit(struct rl_link *l, uint8_t kind, uint8_t flags, uint32_t seq,
		 const uint8_t *payload, uint16_t length)
{
	size_t n = rl_encode(l->scratch, kind, flags, seq, l->rx_expected, payload, length);

	l->stats.tx_frames++;
	l->cb.write(l->ctx, l->scratch, n);
}

int rl_init(struct rl_link *l, int client, const struct rl_callbacks *cb, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->cb = *cb;
	l->ctx = ctx;
	l->client = client;
	l->caps = RL_CAP_ZLIB | RL_CAP_RESUME | RL_CAP_RECORDS | RL_CAP_CONFIRM | RL_CAP_SPOOL | RL_CAP_FLOWS |
		 RL_CAP_IFNAMES;
	l->max_payload = RL_MAX_PAYLOAD;
	l->window = 8;
	l->frame_size = START_FRAME;
	l->rto_min_ms = 20;
	l->rto_base_ms = 250;
	l->rto_ms = l->rto_base_ms;
	l->link_timeout_ms = 20000;
	l->rx = malloc(2 * RL_MAX_FRAME);
	l->msg = malloc(RL_MAX_MESSAGE + 4 + RL_MAX_PAYLOAD);
	return l->rx && l->msg ? 0 : -1;
}

void rl_free(struct rl_link *l)
{
	free(l->sbuf);
	free(l->rx);
	free(l->msg);
	l->sbuf = l->rx = l->msg = NULL;
}

void rl_set_rate(struct rl_link *l, unsigned bps)
{
	/* Two windows of start-size frames at 10 bits per byte must fit in the base RTO. */
	if (bps) {
		uint64_t bytes = 2ull * l->window * (RL_HEADER + START_FRAME + RL_TRAILER);

		/* A serial line's round trip is its transmission time: start there, not at 250 ms. */
		l->rto_min_ms = 20 + (uint32_t)(bytes * 10 * 1000 / bps);
		l->rto_base_ms = l->rto_min_ms;
		l->rto_ms = l->rto_base_ms;
		l->link_timeout_ms = 60000;
	}
}

static void reset_session(struct rl_link *l, uint32_t nonce, uint64_t now)
{
	/* A client keeps what it queued before its first session; anything else belongs to an old one. */
	if (!(l->client && l->tx_high == 0))
		l->slen = 0;
	l->session = 1;
	l->nonce = nonce;
	l->tx_base = l->tx_next = l->tx_high = 0;
	l->rx_expected = 0;
	l->msg_len = 0;
	l->rto_ms = l->rto_base_ms;
	l->frame_size = START_FRAME < l->max_payload ? START_FRAME : l->max_payload;
	l->clean_streak = 0;
	l->last_progress_ms = now;
}

static void send_hello(struct rl_link *l, uint64_t now)
{
	uint8_t p[20];

	memcpy(p, "RMPL", 4);
	rl_put16(p + 4, RL_VERSION);
	rl_put16(p + 6, RL_VERSION);
	rl_put32(p + 8, l->caps);
	rl_put32(p + 12, l->nonce);
	rl_put16(p + 16, l->max_payload);
	rl_put16(p + 18, l->window);
	emit(l, RL_HELLO, 0, 0, p, sizeof(p));
	l->hello_sent_ms = now;
	l->hello_tries++;
}

void rl_start(struct rl_link *l, uint64_t now, uint32_t nonce)
{
	l->session = 0;
	l->nonce = nonce;
	l->hello_tries = 0;
	l->last_progress_ms = now;
	send_hello(l, now);
}

void rl_send_error(struct rl_link *l, uint16_t code, const char *text)
{
	uint8_t p[256];
	size_t n = strlen(text);

	if (n > sizeof(p) - 2)
		n = sizeof(p) - 2;
	rl_put16(p, code);
	memcpy(p + 2, text, n);
	emit(l, RL_ERROR, 0, 0, p, (uint16_t)(n + 2));
}

void rl_send_bye(struct rl_link *l)
{
	emit(l, RL_BYE, 0, 0, NULL, 0);
}

static void adopt(struct rl_link *l, uint16_t mp, uint16_t win)
{
	if (mp >= 32 && mp < l->max_payload)
		l->max_payload = mp;
	if (win >= 1 && win < l->window)
		l->window = win;
	if (l->frame_size > l->max_payload)
		l->frame_size = l->max_payload;
}

static void on_hello(struct rl_link *l, const struct rl_frame *f, uint64_t now)
{
	uint8_t p[18];
	uint16_t lo, hi;
	uint32_t nonce;

	if (l->client)
		return;
	if (f->length < 20 || memcmp(f->payload, "RMPL", 4)) {
		rl_send_error(l, RL_E_MALFORMED, "malformed HELLO");
		l->stats.rx_malformed++;
		return;
	}
	lo = rl_get16(f->payload + 4);
	hi = rl_get16(f->payload + 6);
	nonce = rl_get32(f->payload + 12);
	if (lo > RL_VERSION || hi < RL_VERSION) {
		char text[96];

		snprintf(text, sizeof(text),
			 "unsupported protocol version: you speak %u..%u, this agent speaks %u..%u",
			 lo, hi, RL_VERSION, RL_VERSION);
		rl_send_error(l, RL_E_VERSION, text);
		return;
	}
	if (!l->session || nonce != l->nonce) {
		reset_session(l, nonce, now);
		adopt(l, rl_get16(f->payload + 16), rl_get16(f->payload + 18));
		if (l->cb.session)
			l->cb.session(l->ctx);
	}
	memcpy(p, "RMPL", 4);
	rl_put16(p + 4, RL_VERSION);
	rl_put32(p + 6, l->caps);
	rl_put32(p + 10, l->nonce);
	rl_put16(p + 14, l->max_payload);
	rl_put16(p + 16, l->window);
	emit(l, RL_HELLO_ACK, 0, 0, p, sizeof(p));
}

static void on_hello_ack(struct rl_link *l, const struct rl_frame *f, uint64_t now)
{
	if (!l->client || l->session)
		return;
	if (f->length < 18 || memcmp(f->payload, "RMPL", 4) || rl_get16(f->payload + 4) != RL_VERSION
	    || rl_get32(f->payload + 10) != l->nonce)
		return;
	reset_session(l, l->nonce, now);
	adopt(l, rl_get16(f->payload + 14), rl_get16(f->payload + 16));
	if (l->cb.session)
		l->cb.session(l->ctx);
}

static void pump(struct rl_link *l, uint64_t now);

/* Go back: resend from the oldest unacknowledged byte, in smaller frames. */
static void rewind_tx(struct rl_link *l, uint64_t now)
{
	l->tx_next = l->tx_base;
	l->frame_size = l->frame_size / 2 < MIN_FRAME ? MIN_FRAME : l->frame_size / 2;
	l->clean_streak = 0;
	l->dup_acks = 0;
	l->rewound = 1;
	l->rtt_timing = 0;
}

static void on_ack(struct rl_link *l, uint32_t ack, int pure, uint64_t now)
{
	uint32_t n;

	if (pure && ack == l->tx_base && l->tx_next != l->tx_base) {
		/* The peer saw a frame after a gap: resend without waiting for the timeout. */
		if (!l->rewound && ++l->dup_acks >= 1)
			rewind_tx(l, now);
		return;
	}
	if (!before(l->tx_base, ack) || before(l->tx_high, ack))
		return;
	l->dup_acks = 0;
	l->rewound = 0;
	if (l->rtt_timing && !before(ack, l->rtt_seq)) {
		/* Retransmission timeout follows the measured round trip (Karn: only clean samples). */
		uint32_t sample = (uint32_t)elapsed(now, l->rtt_start_ms);

		l->srtt_ms = l->srtt_ms ? (7 * l->srtt_ms + sample) / 8 : sample;
		l->rto_base_ms = 2 * l->srtt_ms + 20;
		if (l->rto_base_ms < l->rto_min_ms)
			l->rto_base_ms = l->rto_min_ms;
		if (l->rto_base_ms > RTO_CAP_MS)
			l->rto_base_ms = RTO_CAP_MS;
		l->rtt_timing = 0;
	}
	n = ack - l->tx_base;
	memmove(l->sbuf, l->sbuf + n, l->slen - n);
	l->slen -= n;
	l->tx_base = ack;
	if (before(l->tx_next, ack))
		l->tx_next = ack;
	if (++l->clean_streak >= GROW_AFTER) {
		l->clean_streak = 0;
		l->frame_size = l->frame_size * 2u > l->max_payload ? l->max_payload : l->frame_size * 2u;
	}
	l->rto_ms = l->rto_base_ms;
	l->last_progress_ms = now;
}

/* Takes stream bytes [seq, seq+n) of which those from rx_expected on are new. */
static void on_data(struct rl_link *l, const struct rl_frame *f)
{
	uint32_t skip = l->rx_expected - f->seq;
	size_t take;

	if (before(l->rx_expected, f->seq) || skip >= f->length)
		return;
	take = f->length - skip;
	memcpy(l->msg + l->msg_len, f->payload + skip, take);
	l->msg_len += take;
	l->rx_expected += (uint32_t)take;
	while (l->msg_len >= 4) {
		uint32_t m = rl_get32(l->msg);

		if (m == 0 || m > RL_MAX_MESSAGE) {
			/* Only a broken peer gets here: the stream is reliable. */
			l->stats.rx_malformed++;
			rl_send_error(l, RL_E_MALFORMED, "malformed message length");
			l->session = 0;
			l->msg_len = 0;
			return;
		}
		if (l->msg_len < 4 + (size_t)m)
			break;
		if (l->cb.message)
			l->cb.message(l->ctx, l->msg + 4, m);
		memmove(l->msg, l->msg + 4 + m, l->msg_len - 4 - m);
		l->msg_len -= 4 + m;
		if (!l->session)
			return;
	}
}

static void handle(struct rl_link *l, const struct rl_frame *f, uint64_t now)
{
	l->stats.rx_frames++;
	switch (f->kind) {
	case RL_HELLO:
		on_hello(l, f, now);
		return;
	case RL_HELLO_ACK:
		on_hello_ack(l, f, now);
		return;
	case RL_ERROR:
		if (l->cb.error) {
			char text[300];
			size_t n = f->length > 2 ? f->length - 2u : 0;

			if (n > sizeof(text) - 1)
				n = sizeof(text) - 1;
			memcpy(text, f->payload + 2, n);
			text[n] = 0;
			l->cb.error(l->ctx, f->length >= 2 ? rl_get16(f->payload) : 0, text);
		}
		return;
	case RL_BYE:
		l->session = 0;
		if (l->cb.bye)
			l->cb.bye(l->ctx);
		return;
	default:
		break;
	}
	if (!l->session) {
		if (!l->client && f->kind == RL_DATA)
			rl_send_error(l, RL_E_NO_SESSION, "no session: send HELLO first");
		return;
	}
	on_ack(l, f->ack, f->kind == RL_ACK, now);
	if (f->kind == RL_DATA) {
		on_data(l, f);
		l->need_ack = 1;
	}
}

void rl_input(struct rl_link *l, const uint8_t *p, size_t n, uint64_t now)
{
	while (n) {
		size_t room = 2 * RL_MAX_FRAME - l->rx_len, take = n < room ? n : room;
		size_t off = 0;

		memcpy(l->rx + l->rx_len, p, take);
		l->rx_len += take;
		p += take;
		n -= take;
		for (;;) {
			struct rl_frame f;
			size_t used = 0;
			int reason = 0, st = rl_decode(l->rx + off, l->rx_len - off, &f, &used, &reason);

			if (st == RL_NEED_MORE)
				break;
			if (st == RL_SKIP) {
				if (reason == 1)
					l->stats.rx_bad_header++;
				else if (reason == 2)
					l->stats.rx_bad_crc++;
			} else if (st == RL_BAD_FRAME) {
				l->stats.rx_malformed++;
				rl_send_error(l, reason, reason == RL_E_TOO_LARGE
					      ? "frame too large: payload over 16384 bytes"
					      : "malformed frame: unknown kind or flags");
			} else {
				handle(l, &f, now);
			}
			off += used;
		}
		memmove(l->rx, l->rx + off, l->rx_len - off);
		l->rx_len -= off;
	}
	if (l->need_ack && l->session) {
		l->need_ack = 0;
		emit(l, RL_ACK, 0, 0, NULL, 0);
	}
	pump(l, now);
}

/* Sends stream bytes from tx_next while the bytes in flight stay within the window. */
static void pump(struct rl_link *l, uint64_t now)
{
	size_t limit;

	if (!l->session)
		return;
	limit = (size_t)l->window * l->frame_size;
	for (;;) {
		uint32_t off = l->tx_next - l->tx_base, in_flight = off;
		size_t avail = l->slen - off, take;

		if (!avail || in_flight >= limit)
			break;
		take = avail < l->frame_size ? avail : l->frame_size;
		if (before(l->tx_next, l->tx_high)) {
			l->stats.retransmits++;
		} else if (!l->rtt_timing) {
			l->rtt_timing = 1;
			l->rtt_seq = l->tx_next + (uint32_t)take;
			l->rtt_start_ms = now;
		}
		if (l->tx_next == l->tx_base)
			l->last_progress_ms = l->last_progress_ms > now ? l->last_progress_ms : now;
		emit(l, RL_DATA, 0, l->tx_next, l->sbuf + off, (uint16_t)take);
		l->tx_next += (uint32_t)take;
		if (before(l->tx_high, l->tx_next))
			l->tx_high = l->tx_next;
		l->last_send_ms = now;
	}
}

int rl_send(struct rl_link *l, const uint8_t *msg, size_t n, uint64_t now)
{
	if (n == 0 || n > RL_MAX_MESSAGE)
		return -1;
	if (l->slen + n + 4 > l->scap) {
		size_t cap = l->scap ? l->scap : 65536;
		uint8_t *b;

		while (cap < l->slen + n + 4)
			cap *= 2;
		b = realloc(l->sbuf, cap);
		if (!b)
			return -1;
		l->sbuf = b;
		l->scap = cap;
	}
	rl_put32(l->sbuf + l->slen, (uint32_t)n);
	memcpy(l->sbuf + l->slen + 4, msg, n);
	l->slen += n + 4;
	pump(l, now);
	return 0;
}

size_t rl_queued(const struct rl_link *l)
{
	return l->slen;
}

int rl_idle(const struct rl_link *l)
{
	return l->session && l->slen == 0;
}

void rl_tick(struct rl_link *l, uint64_t now)
{
	if (l->client && !l->session) {
		if (l->hello_tries && elapsed(now, l->hello_sent_ms) >= HELLO_EVERY_MS) {
			if (elapsed(now, l->last_progress_ms) >= l->link_timeout_ms) {
				l->hello_tries = 0;
				if (l->cb.dead)
					l->cb.dead(l->ctx);
			} else {
				send_hello(l, now);
			}
		}
		return;
	}
	if (!l->session || l->tx_base == l->tx_next)
		return;
	if (elapsed(now, l->last_progress_ms) >= l->link_timeout_ms) {
		l->session = 0;
		if (l->cb.dead)
			l->cb.dead(l->ctx);
		return;
	}
	if (elapsed(now, l->last_send_ms) < l->rto_ms)
		return;
	rewind_tx(l, now);
	/* Back off, but only a little: a serial line has noise, not congestion. */
	if (l->rto_ms < 4 * l->rto_base_ms && l->rto_ms < RTO_CAP_MS)
		l->rto_ms *= 2;
	pump(l, now);
}
