/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The box link (docs/protocol.md): frame codec plus a go-back-N link that turns an unreliable byte
 * stream into an ordered, exactly-once stream of messages. Sequence numbers count stream bytes, so
 * a retransmission may cut the unacknowledged bytes into smaller frames than the first attempt. Transport-free: bytes come in through
 * rl_input(), go out through the write callback, and time advances through rl_tick().
 */
#ifndef RAMPART_LINK_H
#define RAMPART_LINK_H

#include <stddef.h>
#include <stdint.h>

#define RL_SYNC0 0xF5
#define RL_SYNC1 0x52
#define RL_HEADER 16
#define RL_TRAILER 4
#define RL_MAX_PAYLOAD 16384
#define RL_MAX_FRAME (RL_HEADER + RL_MAX_PAYLOAD + RL_TRAILER)
#define RL_MAX_MESSAGE (1u << 20)
#define RL_VERSION 1

enum rl_kind { RL_HELLO = 1, RL_HELLO_ACK = 2, RL_DATA = 3, RL_ACK = 4, RL_ERROR = 5, RL_BYE = 6 };
enum rl_link_error { RL_E_VERSION = 1, RL_E_TOO_LARGE = 2, RL_E_MALFORMED = 3, RL_E_NO_SESSION = 4 };

#define RL_CAP_ZLIB 1u
#define RL_CAP_RESUME 2u
#define RL_CAP_RECORDS 4u
#define RL_CAP_CONFIRM 8u
#define RL_CAP_SPOOL 16u   /* SUBSCRIBE_FROM, ACK, LOSS items (docs/protocol.md section 9) */
#define RL_CAP_FLOWS 32u   /* SUBSCRIBE_FLOWS: records with their flow counters (FLOWS items) */
#define RL_CAP_IFNAMES 64u /* SUBSCRIBE_NAMED: FLOWS with interface names (NAMED_FLOWS items) */

struct rl_frame {
	uint8_t kind, flags;
	uint32_t seq, ack;
	uint16_t length;
	const uint8_t *payload;
};

/* Encodes one frame into out (room for RL_MAX_FRAME); returns its size. */
size_t rl_encode(uint8_t *out, uint8_t kind, uint8_t flags, uint32_t seq, uint32_t ack,
		 const uint8_t *payload, uint16_t length);

enum rl_decode_status {
	RL_NEED_MORE = 0,   /* a frame may start here; wait for more bytes                      */
	RL_FRAME = 1,       /* *frame filled; *used bytes form the frame                         */
	RL_SKIP = 2,        /* *used bytes are not a frame (garbage or broken header/CRC)        */
	RL_BAD_FRAME = 3,   /* header sound but frame malformed: *used = 2, *err says which      */
};

/*
 * Looks at the start of buf. On RL_SKIP, *reason is 0 for bytes before a sync marker, 1 for a bad
 * header check, 2 for a bad payload CRC.
 */
int rl_decode(const uint8_t *buf, size_t n, struct rl_frame *frame, size_t *used, int *reason);

struct rl_stats {
	uint32_t rx_bad_header, rx_bad_crc, rx_malformed, retransmits, rx_frames, tx_frames;
};

struct rl_callbacks {
	void (*write)(void *ctx, const uint8_t *p, size_t n);
	void (*message)(void *ctx, const uint8_t *p, size_t n);
	void (*session)(void *ctx);                           /* a new session began           */
	void (*error)(void *ctx, int code, const char *text); /* peer sent an ERROR frame      */
	void (*bye)(void *ctx);
	void (*dead)(void *ctx);                              /* link timeout without progress */
};

struct rl_link {
	struct rl_callbacks cb;
	void *ctx;
	int client;
	uint32_t caps;
	uint16_t max_payload, window, frame_size;
	uint32_t rto_min_ms, rto_base_ms, rto_ms, link_timeout_ms;
	uint32_t srtt_ms, rtt_seq;    /* smoothed round trip; the stream offset being timed */
	uint64_t rtt_start_ms;
	int rtt_timing;

	int session;
	uint32_t nonce;
	uint64_t hello_sent_ms;
	int hello_tries;

	/* Send side: stream bytes from offset tx_base; tx_next is the next to send, tx_high the
	 * highest ever sent (below it, sending again is a retransmission). */
	uint32_t tx_base, tx_next, tx_high;
	uint8_t *sbuf;
	size_t slen, scap;
	uint64_t last_progress_ms, last_send_ms;
	unsigned clean_streak, dup_acks;
	int rewound;                 /* no fast retransmit again until an ack advances */

	/* Receive side: next stream offset expected, and stream bytes not yet a whole message. */
	uint32_t rx_expected;
	uint8_t *rx;
	size_t rx_len;
	uint8_t *msg;
	size_t msg_len;
	int need_ack;

	struct rl_stats stats;
	uint8_t scratch[RL_MAX_FRAME];
};

/* client: sends HELLO and waits for HELLO_ACK; server: answers HELLOs. */
int rl_init(struct rl_link *l, int client, const struct rl_callbacks *cb, void *ctx);
void rl_free(struct rl_link *l);
void rl_set_rate(struct rl_link *l, unsigned bits_per_second); /* serial: longer RTO */
void rl_start(struct rl_link *l, uint64_t now_ms, uint32_t nonce); /* client only */
void rl_input(struct rl_link *l, const uint8_t *p, size_t n, uint64_t now_ms);
int rl_send(struct rl_link *l, const uint8_t *msg, size_t n, uint64_t now_ms);
void rl_tick(struct rl_link *l, uint64_t now_ms);
void rl_send_error(struct rl_link *l, uint16_t code, const char *text);
void rl_send_bye(struct rl_link *l);
size_t rl_queued(const struct rl_link *l); /* bytes not yet acknowledged */
int rl_idle(const struct rl_link *l);       /* session up and everything acknowledged */

uint32_t rl_crc32c(const uint8_t *p, size_t n);

static inline void rl_put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static inline void rl_put32(uint8_t *p, uint32_t v) { rl_put16(p, v); rl_put16(p + 2, v >> 16); }
static inline void rl_put64(uint8_t *p, uint64_t v) { rl_put32(p, v); rl_put32(p + 4, v >> 32); }
static inline uint16_t rl_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rl_get32(const uint8_t *p) { return rl_get16(p) | (uint32_t)rl_get16(p + 2) << 16; }
static inline uint64_t rl_get64(const uint8_t *p) { return rl_get32(p) | (uint64_t)rl_get32(p + 4) << 32; }

#endif
