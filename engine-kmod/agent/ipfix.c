// SPDX-License-Identifier: GPL-2.0-only
/* IPFIX (RFC 7011) message encoding and the UDP exporter behind rampartd --ipfix. */
#define _GNU_SOURCE
#include "ipfix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/rampart_core.h"

/*
 * Information elements (IANA "IPFIX Information Elements" registry). Counters are deltas
 * (packetDeltaCount, octetDeltaCount) because every record covers the packets since the flow's
 * previous record, never a running total. Times are absolute milliseconds (flowStart/EndMilliseconds)
 * so a collector needs no sysUpTime arithmetic. tcpControlBits is two bytes as RFC 7125 defines it.
 *
 * The verdict goes into forwardingStatus (89, RFC 7270, unsigned8: two status bits and a reason):
 * it is the standard element for "what the device did with the packets" and collectors such as
 * nfdump decode it. firewallEvent (233) describes flow-table events (created, deleted, denied,
 * updated) of a stateful firewall's connection table, which our records are not: a record is a
 * summary of packets that one rule decided. Mapping: accept at input -> 195 "Consumed: terminate
 * for us" (delivered to the box itself); accept at forward or output -> 64 "Forwarded: unknown"
 * (we do not know about fragmentation); drop -> 130 "Dropped: ACL drop" (silently discarded);
 * reject -> 129 "Dropped: ACL deny" (discarded with an answer to the sender). The exact hook,
 * the stable rule id and the table generation have no standard element and go into enterprise
 * elements under IPFIX_PEN.
 */
struct field {
	uint16_t id, len;
	int enterprise;
};

#define IE_OCTET_DELTA 1
#define IE_PACKET_DELTA 2
#define IE_PROTOCOL 4
#define IE_TCP_FLAGS 6
#define IE_SRC_PORT 7
#define IE_SRC_V4 8
#define IE_INGRESS_IF 10
#define IE_DST_PORT 11
#define IE_DST_V4 12
#define IE_EGRESS_IF 14
#define IE_SRC_V6 27
#define IE_DST_V6 28
#define IE_FORWARDING_STATUS 89
#define IE_FLOW_START_MS 152
#define IE_FLOW_END_MS 153

#define TEMPLATE_FIELDS(SRC, DST, ALEN) { \
	{ SRC, ALEN, 0 }, { DST, ALEN, 0 }, { IE_SRC_PORT, 2, 0 }, { IE_DST_PORT, 2, 0 }, \
	{ IE_PROTOCOL, 1, 0 }, { IE_TCP_FLAGS, 2, 0 }, { IE_PACKET_DELTA, 8, 0 }, \
	{ IE_OCTET_DELTA, 8, 0 }, { IE_FLOW_START_MS, 8, 0 }, { IE_FLOW_END_MS, 8, 0 }, \
	{ IE_INGRESS_IF, 4, 0 }, { IE_EGRESS_IF, 4, 0 }, { IE_FORWARDING_STATUS, 1, 0 }, \
	{ IPFIX_E_RULE_ID, 4, 1 }, { IPFIX_E_GENERATION, 8, 1 }, { IPFIX_E_HOOK, 1, 1 } }

static const struct field v4_fields[] = TEMPLATE_FIELDS(IE_SRC_V4, IE_DST_V4, 4);
static const struct field v6_fields[] = TEMPLATE_FIELDS(IE_SRC_V6, IE_DST_V6, 16);
#define NFIELDS (sizeof(v4_fields) / sizeof(v4_fields[0]))
/* Data records: the two addresses, then 61 bytes of the fields both templates share. */
#define V4_RECORD_LEN (4 + 4 + 61)
#define V6_RECORD_LEN (16 + 16 + 61)

static void put8(struct ipfix_msg *m, uint8_t v) { m->p[m->len++] = v; }
static void put16(struct ipfix_msg *m, uint16_t v) { put8(m, (uint8_t)(v >> 8)); put8(m, (uint8_t)v); }
static void put32(struct ipfix_msg *m, uint32_t v) { put16(m, (uint16_t)(v >> 16)); put16(m, (uint16_t)v); }
static void put64(struct ipfix_msg *m, uint64_t v) { put32(m, (uint32_t)(v >> 32)); put32(m, (uint32_t)v); }
static void set16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void put_template(struct ipfix_msg *m, uint16_t id, const struct field *f)
{
	size_t i;

	put16(m, id);
	put16(m, (uint16_t)NFIELDS);
	for (i = 0; i < NFIELDS; i++) {
		put16(m, (uint16_t)(f[i].id | (f[i].enterprise ? 0x8000 : 0)));
		put16(m, f[i].len);
		if (f[i].enterprise)
			put32(m, IPFIX_PEN);
	}
}

void ipfix_msg_begin(struct ipfix_msg *m, uint8_t *buf, size_t cap, uint32_t export_time_s,
		     uint32_t seq, uint32_t domain, int with_templates)
{
	m->p = buf;
	m->cap = cap;
	m->len = 0;
	m->set_start = 0;
	m->set_id = 0;
	m->records = 0;
	put16(m, IPFIX_VERSION);
	put16(m, 0);                /* length, written by finish */
	put32(m, export_time_s);
	put32(m, seq);
	put32(m, domain);
	if (with_templates) {
		size_t start = m->len;

		put16(m, IPFIX_SET_TEMPLATE);
		put16(m, 0);
		put_template(m, IPFIX_TEMPLATE_V4, v4_fields);
		put_template(m, IPFIX_TEMPLATE_V6, v6_fields);
		set16(m->p + start + 2, (uint16_t)(m->len - start));
	}
}

static void close_set(struct ipfix_msg *m)
{
	if (m->set_start) {
		set16(m->p + m->set_start + 2, (uint16_t)(m->len - m->set_start));
		m->set_start = 0;
		m->set_id = 0;
	}
}

uint8_t ipfix_forwarding_status(uint8_t hook, uint8_t verdict)
{
	if (verdict == RAMPART_DROP)
		return 130;
	if (verdict == RAMPART_REJECT)
		return 129;
	if (verdict == RAMPART_ACCEPT)
		return hook == RAMPART_HOOK_INPUT ? 195 : 64;
	return 0;                   /* unknown status, unknown reason */
}

int ipfix_msg_add(struct ipfix_msg *m, const struct record *r)
{
	uint16_t tid = r->v4 ? IPFIX_TEMPLATE_V4 : IPFIX_TEMPLATE_V6;
	size_t need = r->v4 ? V4_RECORD_LEN : V6_RECORD_LEN;

	if (m->set_id != tid)
		need += 4;
	if (m->len + need > m->cap)
		return -1;
	if (m->set_id != tid) {
		close_set(m);
		m->set_start = m->len;
		m->set_id = tid;
		put16(m, tid);
		put16(m, 0);
	}
	if (r->v4) {
		memcpy(m->p + m->len, r->src + 12, 4);
		memcpy(m->p + m->len + 4, r->dst + 12, 4);
		m->len += 8;
	} else {
		memcpy(m->p + m->len, r->src, 16);
		memcpy(m->p + m->len + 16, r->dst, 16);
		m->len += 32;
	}
	put16(m, r->sport);
	put16(m, r->dport);
	put8(m, r->proto);
	put16(m, r->proto == 6 ? r->tcp_flags : 0);
	put64(m, r->packets);
	put64(m, r->bytes);
	put64(m, r->first_ms);
	put64(m, r->last_ms);
	put32(m, r->in_if);
	put32(m, r->out_if);
	put8(m, ipfix_forwarding_status(r->hook, r->verdict));
	put32(m, r->rule_id);
	put64(m, r->generation);
	put8(m, r->hook);
	m->records++;
	return 0;
}

size_t ipfix_msg_finish(struct ipfix_msg *m)
{
	close_set(m);
	set16(m->p + 2, (uint16_t)m->len);
	return m->len;
}

/* ---- exporter ------------------------------------------------------------------------------- */

static void no_log(const char *fmt, ...) { (void)fmt; }

void ipfix_init(struct ipfix *x, uint32_t domain, unsigned refresh_s, void (*log)(const char *, ...))
{
	memset(x, 0, sizeof(*x));
	x->domain = domain;
	x->refresh_ms = (uint64_t)(refresh_s ? refresh_s : IPFIX_DEFAULT_REFRESH_S) * 1000;
	x->max_msg = IPFIX_MAX_MESSAGE;
	x->log = log ? log : no_log;
}

/* The largest message that crosses the path to c unfragmented, as far as the kernel knows. */
static size_t path_max(const struct ipfix_collector *c, int family)
{
	int mtu = 0;
	socklen_t len = sizeof(mtu);
	int r = family == AF_INET6 ? getsockopt(c->fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &len)
				   : getsockopt(c->fd, IPPROTO_IP, IP_MTU, &mtu, &len);
	size_t max;

	if (r || mtu <= 0)
		return IPFIX_MAX_MESSAGE;
	max = (size_t)mtu - (family == AF_INET6 ? 48 : 28);
	if (max > IPFIX_MAX_MESSAGE)
		max = IPFIX_MAX_MESSAGE;
	if (max < IPFIX_MIN_MESSAGE)
		max = IPFIX_MIN_MESSAGE;
	return max;
}

int ipfix_add_collector(struct ipfix *x, const char *spec, char *err, size_t errlen)
{
	char host[256], *colon, *end;
	const char *h = host;
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct ipfix_collector *c;
	unsigned long port;
	int rc, fd;

	if (x->ncol == IPFIX_MAX_COLLECTORS) {
		snprintf(err, errlen, "--ipfix %s: at most %d collectors", spec, IPFIX_MAX_COLLECTORS);
		return -1;
	}
	if (strlen(spec) >= sizeof(host) || !(colon = strrchr(strcpy(host, spec), ':')) || colon == host) {
		snprintf(err, errlen, "--ipfix '%s': expected HOST:PORT or [IPV6]:PORT", spec);
		return -1;
	}
	*colon = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port == 0 || port > 65535) {
		snprintf(err, errlen, "--ipfix '%s': port '%s' is not a number from 1 to 65535", spec, colon + 1);
		return -1;
	}
	if (host[0] == '[') {
		size_t n = strlen(host);

		if (n < 3 || host[n - 1] != ']') {
			snprintf(err, errlen, "--ipfix '%s': unbalanced [ ] around the IPv6 address", spec);
			return -1;
		}
		host[n - 1] = 0;
		h = host + 1;
	} else if (strchr(host, ':')) {
		snprintf(err, errlen, "--ipfix '%s': write an IPv6 address in brackets, [ADDR]:PORT", spec);
		return -1;
	}
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	/* Resolved once, at start: a lookup in the loop could stall it. */
	rc = getaddrinfo(h, colon + 1, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "--ipfix '%s': cannot resolve '%s': %s", spec, h, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	/* Connected, so that an ICMP port unreachable comes back as ECONNREFUSED on a later send. */
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		snprintf(err, errlen, "--ipfix '%s': cannot open a UDP socket to it: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	c = &x->col[x->ncol++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", spec);
	c->fd = fd;
	c->max_msg = path_max(c, ai->ai_family);
	if (c->max_msg < x->max_msg)
		x->max_msg = c->max_msg;
	freeaddrinfo(ai);
	return 0;
}

static void begin(struct ipfix *x, uint64_t now, uint64_t wall)
{
	int templates = now >= x->next_templates_ms;

	if (templates) {
		x->next_templates_ms = now + x->refresh_ms;
		x->template_sends++;
	}
	ipfix_msg_begin(&x->msg, x->buf, x->max_msg, (uint32_t)(wall / 1000), x->seq, x->domain, templates);
	x->open = 1;
	x->open_ms = now;
}

static void send_one(struct ipfix *x, struct ipfix_collector *c, size_t len, uint64_t now)
{
	ssize_t w = send(c->fd, x->buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (w == (ssize_t)len) {
		c->messages++;
		/* A send that works proves little: the ICMP error for it arrives later and fails the
		 * next send. Only a quiet stretch counts as recovery. */
		if (c->failing && since(now, c->last_error_ms) >= IPFIX_RECOVERED_MS) {
			x->log("ipfix: no send to collector %s failed for %d s (%llu failed in all)", c->name,
			       IPFIX_RECOVERED_MS / 1000, (unsigned long long)c->send_errors);
			c->failing = 0;
			/* It may have restarted and forgotten the templates: send them with the next message. */
			x->next_templates_ms = 0;
		}
		return;
	}
	/* Never retried: a message that waits would stall the ones behind it, and the sequence
	 * number lets the collector count what it missed. */
	c->send_errors++;
	c->last_error_ms = now;
	c->last_errno = w < 0 ? errno : EMSGSIZE;
	if (c->last_errno == ECONNREFUSED)
		c->refused++;
	if (!c->failing || since(now, c->last_log_ms) >= 60000) {
		x->log("ipfix: cannot send to collector %s: %s (%llu failed sends, %llu refused by ICMP)",
		       c->name, strerror(c->last_errno), (unsigned long long)c->send_errors,
		       (unsigned long long)c->refused);
		c->last_log_ms = now;
	}
	c->failing = 1;
}

void ipfix_flush(struct ipfix *x, uint64_t now, uint64_t wall)
{
	size_t len;
	int i;

	if (!x->open)
		return;
	len = ipfix_msg_finish(&x->msg);
	for (i = 0; i < x->ncol; i++)
		send_one(x, &x->col[i], len, now);
	/* Counted as sent even where a send failed: the gap tells the collector records were lost. */
	x->seq += x->msg.records;
	x->messages++;
	x->open = 0;
	if (x->dump)
		fflush(x->dump);
}

static void dump_record(FILE *f, const struct record *r)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	inet_ntop(r->v4 ? AF_INET : AF_INET6, r->v4 ? r->src + 12 : r->src, s, sizeof(s));
	inet_ntop(r->v4 ? AF_INET : AF_INET6, r->v4 ? r->dst + 12 : r->dst, d, sizeof(d));
	/* The first twelve columns are what nfdump -o raw shows of a record, in its notation. */
	fprintf(f, "%s,%s,%u,%u,%u,%llu,%llu,%llu,%llu,0x%02x,%u,%u,%u,%u,%llu,%u,%llu\n",
		s, d, r->sport, r->dport, r->proto,
		(unsigned long long)r->packets, (unsigned long long)r->bytes,
		(unsigned long long)r->first_ms, (unsigned long long)r->last_ms,
		r->proto == 6 ? r->tcp_flags : 0, r->in_if, r->out_if,
		ipfix_forwarding_status(r->hook, r->verdict), r->rule_id,
		(unsigned long long)r->generation, r->hook, (unsigned long long)r->seq);
}

void ipfix_export(struct ipfix *x, const struct record *r, uint64_t now, uint64_t wall)
{
	if (!x->ncol)
		return;
	if (!x->open)
		begin(x, now, wall);
	if (ipfix_msg_add(&x->msg, r)) {
		ipfix_flush(x, now, wall);
		begin(x, now, wall);
		ipfix_msg_add(&x->msg, r); /* fits: IPFIX_MIN_MESSAGE holds templates and a record */
	}
	x->records++;
	if (x->dump)
		dump_record(x->dump, r);
}

void ipfix_tick(struct ipfix *x, uint64_t now, uint64_t wall)
{
	if (!x->ncol)
		return;
	if (x->open && since(now, x->open_ms) >= IPFIX_FLUSH_MS) {
		ipfix_flush(x, now, wall);
	} else if (!x->open && now >= x->next_templates_ms) {
		begin(x, now, wall);
		ipfix_flush(x, now, wall);
	}
}

void ipfix_status(const struct ipfix *x, char *buf, size_t n)
{
	size_t off;
	int i;

	if (!x->ncol) {
		snprintf(buf, n, "off (no --ipfix collector)");
		return;
	}
	off = (size_t)snprintf(buf, n, "%llu records in %llu messages (templates sent %llu times, domain %u)",
			       (unsigned long long)x->records, (unsigned long long)x->messages,
			       (unsigned long long)x->template_sends, x->domain);
	for (i = 0; i < x->ncol && off < n; i++) {
		const struct ipfix_collector *c = &x->col[i];

		off += (size_t)snprintf(buf + off, n - off, "; %s: %llu sent, %llu failed (%llu refused)%s%s",
					c->name, (unsigned long long)c->messages,
					(unsigned long long)c->send_errors, (unsigned long long)c->refused,
					c->failing ? ", failing: " : "", c->failing ? strerror(c->last_errno) : "");
	}
}

void ipfix_close(struct ipfix *x, uint64_t now, uint64_t wall)
{
	int i;

	ipfix_flush(x, now, wall);
	for (i = 0; i < x->ncol; i++)
		close(x->col[i].fd);
	x->ncol = 0;
	if (x->dump) {
		fclose(x->dump);
		x->dump = NULL;
	}
}
