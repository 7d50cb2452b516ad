// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Generic netlink client of the rampart family over a plain NETLINK_GENERIC socket. Requests are
 * always acknowledged (NLM_F_ACK) with extended ACKs and capped acks (the kernel does not echo a
 * 32 KiB chunk back), so every request ends in exactly one NLMSG_ERROR or NLMSG_DONE.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "rampart_nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define RX_SIZE (256 * 1024)

static int grow(struct rnl_msg *m, size_t more)
{
	size_t need = m->len + more;
	uint8_t *b;

	if (need <= m->cap)
		return 0;
	b = realloc(m->buf, need * 2);
	if (!b)
		return -ENOMEM;
	memset(b + m->cap, 0, need * 2 - m->cap);
	m->buf = b;
	m->cap = need * 2;
	return 0;
}

int rnl_msg_init(struct rnl_msg *m, struct rnl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *h;
	struct genlmsghdr *g;

	m->buf = NULL;
	m->len = m->cap = 0;
	if (grow(m, 4096))
		return -ENOMEM;
	h = (struct nlmsghdr *)m->buf;
	h->nlmsg_type = nl->family;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++nl->seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = RAMPART_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	return 0;
}

int rnl_put(struct rnl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (len > 0xffff - NLA_HDRLEN || grow(m, NLA_ALIGN(NLA_HDRLEN + len)))
		return -EMSGSIZE;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return 0;
}

int rnl_put_u8(struct rnl_msg *m, uint16_t type, uint8_t v)
{
	return rnl_put(m, type, &v, 1);
}

int rnl_put_u32(struct rnl_msg *m, uint16_t type, uint32_t v)
{
	return rnl_put(m, type, &v, 4);
}

int rnl_put_str(struct rnl_msg *m, uint16_t type, const char *s)
{
	return rnl_put(m, type, s, strlen(s) + 1);
}

void rnl_msg_free(struct rnl_msg *m)
{
	free(m->buf);
	m->buf = NULL;
}

static void parse_attrs(const uint8_t *p, size_t len, struct nlattr **tb, int max)
{
	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		if (type <= max)
			tb[type] = a;
		len -= (size_t)NLA_ALIGN(a->nla_len) < len ? (size_t)NLA_ALIGN(a->nla_len) : len;
		p += NLA_ALIGN(a->nla_len);
	}
}

static void *payload(const struct nlattr *a)
{
	return (uint8_t *)a + NLA_HDRLEN;
}

static uint32_t get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, payload(a), 4);
	return v;
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, payload(a), 8);
	return v;
}

/* The extended ACK after struct nlmsgerr (and the capped request header). */
static void read_extack(struct rnl *nl, const struct nlmsghdr *h, const struct nlmsgerr *e)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len <= off)
		return;
	parse_attrs((const uint8_t *)h + off, h->nlmsg_len - off, tb, NLMSGERR_ATTR_MAX);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->err_msg, sizeof(nl->err_msg), "%.*s",
			 (int)(tb[NLMSGERR_ATTR_MSG]->nla_len - NLA_HDRLEN),
			 (char *)payload(tb[NLMSGERR_ATTR_MSG]));
	/* An enum constant, not a macro: an #ifdef on it was always false. */
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		nl->err_attr = get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_OFFS] && !nl->err_attr) {
		/* An offset into our request: the attribute type sits at that offset + 2. */
		nl->err_attr = -(int)get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
}

int rnl_transact(struct rnl *nl, struct rnl_msg *m, rnl_reply_cb cb, void *arg)
{
	struct nlmsghdr *req = (struct nlmsghdr *)m->buf;
	uint32_t seq = req->nlmsg_seq;
	uint8_t *rx = NULL;
	int ret = 1, cb_ret = 0;

	nl->err_msg[0] = 0;
	nl->err_attr = 0;
	nl->verify_code = 0;
	nl->verify_offset = 0;
	nl->dump_interrupted = 0;
	req->nlmsg_len = m->len;
	if (send(nl->fd, m->buf, m->len, 0) != (ssize_t)m->len) {
		ret = -errno;
		goto out;
	}
	rx = malloc(RX_SIZE);
	if (!rx) {
		ret = -ENOMEM;
		goto out;
	}
	while (ret > 0) {
		ssize_t n = recv(nl->fd, rx, RX_SIZE, 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_interrupted = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				read_extack(nl, h, e);
				ret = e->error;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int err;

				memcpy(&err, NLMSG_DATA(h), sizeof(err));
				ret = err;
				break;
			}
			if (h->nlmsg_type == nl->family && h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
				struct nlattr *tb[RAMPART_A_MAX + 1];

				parse_attrs((uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
					    h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb,
					    RAMPART_A_MAX);
				if (tb[RAMPART_A_VERIFY_ERROR]) {
					nl->verify_code = get_u32(tb[RAMPART_A_VERIFY_ERROR]);
					if (tb[RAMPART_A_VERIFY_OFFSET])
						nl->verify_offset = get_u32(tb[RAMPART_A_VERIFY_OFFSET]);
				} else if (cb && !cb_ret) {
					cb_ret = cb(arg, tb);
				}
			}
		}
	}
	if (ret == 0 && cb_ret)
		ret = cb_ret;
out:
	free(rx);
	rnl_msg_free(m);
	return ret;
}

/*
 * The id of the family's multicast group of that name in a CTRL_ATTR_MCAST_GROUPS nest (a nest
 * of nests, one per group: { MCAST_GRP_NAME, MCAST_GRP_ID }), or 0 when it has none.
 */
static uint32_t group_id(const struct nlattr *groups, const char *name)
{
	const uint8_t *p = payload(groups);
	size_t left = groups->nla_len - NLA_HDRLEN;

	while (left >= NLA_HDRLEN) {
		const struct nlattr *g = (const struct nlattr *)p;
		struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (g->nla_len < NLA_HDRLEN || g->nla_len > left)
			break;
		parse_attrs(p + NLA_HDRLEN, g->nla_len - NLA_HDRLEN, gt, CTRL_ATTR_MCAST_GRP_MAX);
		if (gt[CTRL_ATTR_MCAST_GRP_NAME] && gt[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(payload(gt[CTRL_ATTR_MCAST_GRP_NAME]), name))
			return get_u32(gt[CTRL_ATTR_MCAST_GRP_ID]);
		if ((size_t)NLA_ALIGN(g->nla_len) >= left)
			break;
		left -= NLA_ALIGN(g->nla_len);
		p += NLA_ALIGN(g->nla_len);
	}
	return 0;
}

/*
 * Asks the controller once for the family: its id, and the flows multicast group's id, kept for
 * rnl_flows_subscribe so that subscribing costs no second GETFAMILY round trip.
 */
static int resolve_family(struct rnl *nl)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		uint8_t attrs[64];
	} req = { 0 };
	struct nlattr *a = (struct nlattr *)req.attrs;
	/* The answer lists every op and group of the family: more than a stack buffer should hold. */
	uint8_t *rx = malloc(RX_SIZE);
	ssize_t n;
	struct nlmsghdr *h;
	int ret = -ENOENT;

	if (!rx)
		return -ENOMEM;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(RAMPART_GENL_NAME);
	memcpy(req.attrs + NLA_HDRLEN, RAMPART_GENL_NAME, sizeof(RAMPART_GENL_NAME));
	req.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	req.h.nlmsg_type = GENL_ID_CTRL;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = ++nl->seq;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (send(nl->fd, &req, req.h.nlmsg_len, 0) < 0 || (n = recv(nl->fd, rx, RX_SIZE, 0)) < 0) {
		ret = -errno;
		goto out;
	}
	for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		struct nlattr *tb[CTRL_ATTR_MAX + 1];

		if (h->nlmsg_type == NLMSG_ERROR) {
			int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

			snprintf(nl->err_msg, sizeof(nl->err_msg),
				 "generic netlink family \"rampart\" not found: is rampart.ko loaded?");
			ret = err ? err : -ENOENT;
			goto out;
		}
		if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			break;
		parse_attrs((uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
			    h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb, CTRL_ATTR_MAX);
		if (tb[CTRL_ATTR_FAMILY_ID]) {
			memcpy(&nl->family, payload(tb[CTRL_ATTR_FAMILY_ID]), 2);
			if (tb[CTRL_ATTR_MCAST_GROUPS])
				nl->flows_group = group_id(tb[CTRL_ATTR_MCAST_GROUPS], RAMPART_GENL_MCGRP_FLOWS);
			ret = 0;
			goto out;
		}
	}
out:
	free(rx);
	return ret;
}

int rnl_open(struct rnl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, size = 4 << 20;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(nl->fd);
		return err;
	}
	return resolve_family(nl);
}

void rnl_close(struct rnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

static int simple(struct rnl *nl, uint8_t cmd)
{
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, cmd, 0);

	return ret ? ret : rnl_transact(nl, &m, NULL, NULL);
}

static int status_cb(void *arg, struct nlattr *const *tb)
{
	struct rnl_status *st = arg;

	memset(st, 0, sizeof(*st));
	st->has_table = tb[RAMPART_A_GENERATION] != NULL;
	if (st->has_table) {
		st->generation = get_u64(tb[RAMPART_A_GENERATION]);
		st->load_seq = get_u32(tb[RAMPART_A_LOAD_SEQ]);
		st->rules = get_u32(tb[RAMPART_A_RULES]);
	}
	st->has_prev = tb[RAMPART_A_PREV_GENERATION] != NULL;
	if (st->has_prev)
		st->prev_generation = get_u64(tb[RAMPART_A_PREV_GENERATION]);
	st->confirm_pending = tb[RAMPART_A_CONFIRM_LEFT] != NULL;
	if (st->confirm_pending)
		st->confirm_left_ms = get_u32(tb[RAMPART_A_CONFIRM_LEFT]);
	if (tb[RAMPART_A_LAST_REVERTED])
		st->last_reverted = get_u64(tb[RAMPART_A_LAST_REVERTED]);
	if (tb[RAMPART_A_REVERTS])
		st->reverts = get_u32(tb[RAMPART_A_REVERTS]);
	if (tb[RAMPART_A_MEMORY])
		st->memory = get_u64(tb[RAMPART_A_MEMORY]);
	if (tb[RAMPART_A_MALFORMED])
		st->malformed = get_u64(tb[RAMPART_A_MALFORMED]);
	if (tb[RAMPART_A_FAILURES])
		st->failures = get_u64(tb[RAMPART_A_FAILURES]);
	if (tb[RAMPART_A_ENABLED])
		st->enabled = *(uint8_t *)payload(tb[RAMPART_A_ENABLED]);
	if (tb[RAMPART_A_FAIL_CLOSED])
		st->fail_closed = *(uint8_t *)payload(tb[RAMPART_A_FAIL_CLOSED]);
	return 0;
}

int rnl_load(struct rnl *nl, const uint8_t *blob, size_t len, uint32_t confirm_secs,
	     uint32_t flags, struct rnl_status *st)
{
	struct rnl_msg m;
	size_t off;
	int ret;

	if (len > RAMPART_TABLE_MAX)
		return -EFBIG;
	ret = rnl_msg_init(&m, nl, RAMPART_CMD_LOAD_BEGIN, 0);
	if (!ret)
		ret = rnl_put_u32(&m, RAMPART_A_LOAD_SIZE, (uint32_t)len);
	if (!ret)
		ret = rnl_transact(nl, &m, NULL, NULL);
	for (off = 0; !ret && off < len; off += RAMPART_CHUNK_MAX) {
		size_t n = len - off < RAMPART_CHUNK_MAX ? len - off : RAMPART_CHUNK_MAX;

		ret = rnl_msg_init(&m, nl, RAMPART_CMD_LOAD_CHUNK, 0);
		if (!ret)
			ret = rnl_put_u32(&m, RAMPART_A_LOAD_OFFSET, (uint32_t)off);
		if (!ret)
			ret = rnl_put(&m, RAMPART_A_LOAD_DATA, blob + off, n);
		if (!ret)
			ret = rnl_transact(nl, &m, NULL, NULL);
	}
	if (ret)
		return ret;
	ret = rnl_msg_init(&m, nl, RAMPART_CMD_LOAD_COMMIT, 0);
	if (!ret && confirm_secs)
		ret = rnl_put_u32(&m, RAMPART_A_CONFIRM_TIMEOUT, confirm_secs);
	if (!ret && flags)
		ret = rnl_put_u32(&m, RAMPART_A_FLAGS, flags);
	if (ret)
		return ret;
	if (st)
		memset(st, 0, sizeof(*st));
	return rnl_transact(nl, &m, st ? status_cb : NULL, st);
}

int rnl_confirm(struct rnl *nl)
{
	return simple(nl, RAMPART_CMD_CONFIRM);
}

int rnl_rollback(struct rnl *nl)
{
	return simple(nl, RAMPART_CMD_ROLLBACK);
}

int rnl_status(struct rnl *nl, struct rnl_status *st)
{
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_STATUS, 0);

	memset(st, 0, sizeof(*st));
	return ret ? ret : rnl_transact(nl, &m, status_cb, st);
}

struct counters_ctx {
	int (*cb)(void *arg, const struct rnl_counter *c);
	void *arg;
};

static int counters_cb(void *arg, struct nlattr *const *tb)
{
	struct counters_ctx *ctx = arg;
	struct rnl_counter c = { 0 };

	c.generation = tb[RAMPART_A_GENERATION] ? get_u64(tb[RAMPART_A_GENERATION]) : 0;
	c.load_seq = tb[RAMPART_A_LOAD_SEQ] ? get_u32(tb[RAMPART_A_LOAD_SEQ]) : 0;
	c.is_policy = tb[RAMPART_A_HOOK] != NULL;
	if (c.is_policy)
		c.hook = get_u32(tb[RAMPART_A_HOOK]);
	if (tb[RAMPART_A_RULE_ID])
		c.rule_id = get_u32(tb[RAMPART_A_RULE_ID]);
	if (tb[RAMPART_A_RULE_INDEX])
		c.rule_index = get_u32(tb[RAMPART_A_RULE_INDEX]);
	c.packets = tb[RAMPART_A_PACKETS] ? get_u64(tb[RAMPART_A_PACKETS]) : 0;
	c.bytes = tb[RAMPART_A_BYTES] ? get_u64(tb[RAMPART_A_BYTES]) : 0;
	c.last_hit_ms = tb[RAMPART_A_LAST_HIT] ? (int64_t)get_u64(tb[RAMPART_A_LAST_HIT]) : -1;
	return ctx->cb(ctx->arg, &c);
}

int rnl_counters(struct rnl *nl, int (*cb)(void *arg, const struct rnl_counter *c), void *arg)
{
	struct counters_ctx ctx = { cb, arg };
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_COUNTERS, NLM_F_DUMP);

	if (ret)
		return ret;
	ret = rnl_transact(nl, &m, counters_cb, &ctx);
	return !ret && nl->dump_interrupted ? -EINTR : ret;
}

static int set_change(struct rnl *nl, uint8_t cmd, const char *set, const uint8_t addr[16],
		      long timeout)
{
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, cmd, 0);

	if (!ret)
		ret = rnl_put_str(&m, RAMPART_A_SET_NAME, set);
	if (!ret)
		ret = rnl_put(&m, RAMPART_A_SET_ADDR, addr, 16);
	if (!ret && timeout >= 0)
		ret = rnl_put_u32(&m, RAMPART_A_SET_TIMEOUT, (uint32_t)timeout);
	if (ret) {
		rnl_msg_free(&m);
		return ret;
	}
	return rnl_transact(nl, &m, NULL, NULL);
}

int rnl_set_add(struct rnl *nl, const char *set, const uint8_t addr[16], long timeout_secs)
{
	return set_change(nl, RAMPART_CMD_SET_ADD, set, addr, timeout_secs);
}

int rnl_set_del(struct rnl *nl, const char *set, const uint8_t addr[16])
{
	return set_change(nl, RAMPART_CMD_SET_DEL, set, addr, -1);
}

struct list_ctx {
	int (*cb)(void *arg, const uint8_t addr[16], int64_t expires_ms);
	void *arg;
};

static int list_cb(void *arg, struct nlattr *const *tb)
{
	struct list_ctx *ctx = arg;

	if (!tb[RAMPART_A_SET_ADDR])
		return 0;
	return ctx->cb(ctx->arg, payload(tb[RAMPART_A_SET_ADDR]),
		       tb[RAMPART_A_SET_EXPIRES] ? (int64_t)get_u32(tb[RAMPART_A_SET_EXPIRES]) : -1);
}

int rnl_set_list(struct rnl *nl, const char *set,
		 int (*cb)(void *arg, const uint8_t addr[16], int64_t expires_ms), void *arg)
{
	struct list_ctx ctx = { cb, arg };
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_SET_LIST, NLM_F_DUMP);

	if (!ret)
		ret = rnl_put_str(&m, RAMPART_A_SET_NAME, set);
	if (ret) {
		rnl_msg_free(&m);
		return ret;
	}
	return rnl_transact(nl, &m, list_cb, &ctx);
}

struct keys_ctx {
	struct rampart_test_result *out;
	size_t n;
	int got;
};

static int keys_cb(void *arg, struct nlattr *const *tb)
{
	struct keys_ctx *ctx = arg;
	const struct nlattr *a = tb[RAMPART_A_TEST_RESULTS];

	if (!a || (size_t)(a->nla_len - NLA_HDRLEN) != ctx->n * sizeof(*ctx->out))
		return -EPROTO;
	memcpy(ctx->out, payload(a), ctx->n * sizeof(*ctx->out));
	ctx->got = 1;
	return 0;
}

int rnl_test_keys(struct rnl *nl, const struct rampart_test_key *keys, size_t n,
		  struct rampart_test_result *out)
{
	struct keys_ctx ctx = { out, n, 0 };
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_TEST_PACKET, 0);

	if (!ret)
		ret = rnl_put(&m, RAMPART_A_TEST_KEYS, keys, n * sizeof(*keys));
	if (ret) {
		rnl_msg_free(&m);
		return ret;
	}
	ret = rnl_transact(nl, &m, keys_cb, &ctx);
	return !ret && !ctx.got ? -EPROTO : ret;
}

static int raw_cb(void *arg, struct nlattr *const *tb)
{
	struct rnl_raw_result *r = arg;

	r->malformed = tb[RAMPART_A_MALFORMED] != NULL;
	if (tb[RAMPART_A_VERDICT])
		r->verdict = get_u32(tb[RAMPART_A_VERDICT]);
	if (tb[RAMPART_A_RULE_INDEX])
		r->rule_index = get_u32(tb[RAMPART_A_RULE_INDEX]);
	if (tb[RAMPART_A_RULE_ID])
		r->rule_id = get_u32(tb[RAMPART_A_RULE_ID]);
	if (tb[RAMPART_A_REJECT_KIND])
		r->reject_kind = get_u32(tb[RAMPART_A_REJECT_KIND]);
	if (tb[RAMPART_A_TEST_KEYS] &&
	    (size_t)(tb[RAMPART_A_TEST_KEYS]->nla_len - NLA_HDRLEN) == sizeof(r->key))
		memcpy(&r->key, payload(tb[RAMPART_A_TEST_KEYS]), sizeof(r->key));
	return 0;
}

int rnl_test_raw(struct rnl *nl, uint32_t hook, const uint8_t *pkt, size_t len, const char *iif,
		 const char *oif, int state, struct rnl_raw_result *out)
{
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_TEST_PACKET, 0);

	memset(out, 0, sizeof(*out));
	if (!ret)
		ret = rnl_put_u32(&m, RAMPART_A_HOOK, hook);
	if (!ret)
		ret = rnl_put(&m, RAMPART_A_TEST_RAW, pkt, len);
	if (!ret && iif)
		ret = rnl_put_str(&m, RAMPART_A_TEST_IIF, iif);
	if (!ret && oif)
		ret = rnl_put_str(&m, RAMPART_A_TEST_OIF, oif);
	if (!ret && state >= 0)
		ret = rnl_put_u32(&m, RAMPART_A_TEST_STATE, (uint32_t)state);
	if (ret) {
		rnl_msg_free(&m);
		return ret;
	}
	return rnl_transact(nl, &m, raw_cb, out);
}

int rnl_config(struct rnl *nl, int enabled, int fail_closed)
{
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_CONFIG, 0);

	if (!ret && enabled >= 0)
		ret = rnl_put_u8(&m, RAMPART_A_ENABLED, (uint8_t)enabled);
	if (!ret && fail_closed >= 0)
		ret = rnl_put_u8(&m, RAMPART_A_FAIL_CLOSED, (uint8_t)fail_closed);
	if (ret) {
		rnl_msg_free(&m);
		return ret;
	}
	return rnl_transact(nl, &m, NULL, NULL);
}

int rnl_parse_addr(const char *s, uint8_t out[16])
{
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
}

void rnl_format_addr(const uint8_t a[16], char *buf, size_t n)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!memcmp(a, mapped, 12))
		inet_ntop(AF_INET, a + 12, buf, n);
	else
		inet_ntop(AF_INET6, a, buf, n);
}

/* ---- flow log ------------------------------------------------------------------------------ */

int rnl_flows_subscribe(struct rnl *nl)
{
	uint32_t grp = nl->flows_group;

	if (!grp) {
		snprintf(nl->err_msg, sizeof(nl->err_msg),
			 "the rampart family has no \"%s\" multicast group: module without flow logs?",
			 RAMPART_GENL_MCGRP_FLOWS);
		return -ENOENT;
	}
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		return -errno;
	return 0;
}

int rnl_flows_parse(struct rnl *nl, const void *buf, size_t len, const struct rnl_flow_handler *h)
{
	const struct nlmsghdr *m;
	int handled = 0, ret;

	for (m = buf; NLMSG_OK(m, len); m = NLMSG_NEXT(m, len)) {
		struct nlattr *tb[RAMPART_A_MAX + 1];
		const struct genlmsghdr *g = NLMSG_DATA(m);
		uint64_t seq;

		if (m->nlmsg_type != nl->family || m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		    g->cmd != RAMPART_CMD_FLOWS)
			continue;
		parse_attrs((const uint8_t *)m + NLMSG_HDRLEN + GENL_HDRLEN,
			    m->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb, RAMPART_A_MAX);
		if (!tb[RAMPART_A_FLOW_EXPORT] ||
		    tb[RAMPART_A_FLOW_EXPORT]->nla_len != NLA_HDRLEN + 8)
			return -EPROTO;
		seq = get_u64(tb[RAMPART_A_FLOW_EXPORT]);
		if (tb[RAMPART_A_FLOW_RECORDS]) {
			const struct nlattr *a = tb[RAMPART_A_FLOW_RECORDS];
			size_t bytes = a->nla_len - NLA_HDRLEN, i;

			if (bytes % sizeof(struct rampart_flow_record))
				return -EPROTO;
			for (i = 0; h->record && i < bytes / sizeof(struct rampart_flow_record); i++) {
				struct rampart_flow_record r;

				/* Copied out: the attribute is only 4-byte aligned. */
				memcpy(&r, (const uint8_t *)payload(a) + i * sizeof(r), sizeof(r));
				ret = h->record(h->arg, seq, &r);
				if (ret)
					return ret;
			}
		}
		if (tb[RAMPART_A_FLOW_END]) {
			struct rnl_flow_end e = { .export_seq = seq };

			if (!tb[RAMPART_A_FLOW_REASON] || !tb[RAMPART_A_FLOW_LOST] ||
			    tb[RAMPART_A_FLOW_LOST]->nla_len != NLA_HDRLEN + sizeof(e.lost))
				return -EPROTO;
			e.records = get_u32(tb[RAMPART_A_FLOW_END]);
			e.reason = get_u32(tb[RAMPART_A_FLOW_REASON]);
			memcpy(e.lost, payload(tb[RAMPART_A_FLOW_LOST]), sizeof(e.lost));
			if (h->end) {
				ret = h->end(h->arg, &e);
				if (ret)
					return ret;
			}
		}
		handled++;
	}
	return handled;
}

int rnl_flows_read(struct rnl *nl, const struct rnl_flow_handler *h, int timeout_ms)
{
	struct pollfd p = { .fd = nl->fd, .events = POLLIN };
	uint8_t *rx;
	ssize_t n;
	int ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	rx = malloc(RX_SIZE);
	if (!rx)
		return -ENOMEM;
	n = recv(nl->fd, rx, RX_SIZE, 0);
	ret = n < 0 ? -errno : rnl_flows_parse(nl, rx, (size_t)n, h);
	free(rx);
	return ret;
}

struct flush_ctx {
	uint64_t seq;
	uint32_t records;
	int got;
};

static int flush_cb(void *arg, struct nlattr *const *tb)
{
	struct flush_ctx *c = arg;

	if (!tb[RAMPART_A_FLOW_EXPORT] || !tb[RAMPART_A_FLOW_END])
		return -EPROTO;
	c->seq = get_u64(tb[RAMPART_A_FLOW_EXPORT]);
	c->records = get_u32(tb[RAMPART_A_FLOW_END]);
	c->got = 1;
	return 0;
}

int rnl_flows_flush(struct rnl *nl, uint64_t *export_seq, uint32_t *records)
{
	struct flush_ctx c = { 0 };
	struct rnl_msg m;
	int ret = rnl_msg_init(&m, nl, RAMPART_CMD_FLOW_FLUSH, 0);

	if (ret)
		return ret;
	ret = rnl_transact(nl, &m, flush_cb, &c);
	if (!ret && !c.got)
		ret = -EPROTO;
	if (!ret && export_seq)
		*export_seq = c.seq;
	if (!ret && records)
		*records = c.records;
	return ret;
}
