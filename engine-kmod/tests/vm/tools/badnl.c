// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * badnl: malformed and out-of-order requests to the rampart family, each of which must be refused
 * with a specific errno (and, where the kernel can say more, an extended-ACK message and, where
 * one attribute is at fault, that attribute). Prints one
 * line per request, "ok NAME" or "FAIL NAME: got ... want ...", then "N refused as expected, M
 * wrong"; exits 1 if any was wrong. Needs a running table with a dynamic set "blocklist" and no
 * load waiting for confirmation; leaves the running table untouched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../../../agent/rampart_nl.h"

static struct rnl nl;
static int good, bad;

static void expect(const char *name, int ret, int want, int want_msg)
{
	if (ret == want && (!want_msg || nl.err_msg[0])) {
		printf("ok %s: %s%s%s\n", name, strerrorname_np(-ret), nl.err_msg[0] ? ": " : "",
		       nl.err_msg);
		good++;
	} else {
		printf("FAIL %s: got %d (%s) want %d, message '%s'\n", name, ret,
		       ret ? strerrorname_np(-ret) : "success", want, nl.err_msg);
		bad++;
	}
}

static struct rnl_msg m;
/* A copy of the last request send_it() sent (rnl_transact frees the message). */
static uint8_t sent[RAMPART_CHUNK_MAX + 4096];
static size_t sent_len;

/*
 * The extended ACK must name the attribute at fault: either the type of a missing one, or the
 * offset of the offending one in the request just sent, whose type is read back from there.
 */
static void expect_attr(const char *name, int want)
{
	int got = nl.err_attr;

	if (got < 0 && (size_t)-got + NLA_HDRLEN <= sent_len) {
		uint16_t type;

		memcpy(&type, sent + -got + 2, sizeof(type));
		got = type & NLA_TYPE_MASK;
	}
	if (got == want) {
		printf("ok %s names attribute %d\n", name, got);
		good++;
	} else {
		printf("FAIL %s: names attribute %d, want %d\n", name, got, want);
		bad++;
	}
}

static void start(uint8_t cmd)
{
	if (rnl_msg_init(&m, &nl, cmd, 0))
		exit(2);
}

static int send_it(void)
{
	sent_len = m.len < sizeof(sent) ? m.len : sizeof(sent);
	memcpy(sent, m.buf, sent_len);
	return rnl_transact(&nl, &m, NULL, NULL);
}

static int begin(uint32_t size)
{
	start(RAMPART_CMD_LOAD_BEGIN);
	rnl_put_u32(&m, RAMPART_A_LOAD_SIZE, size);
	return send_it();
}

static int chunk(uint32_t off, size_t len)
{
	static uint8_t zeros[RAMPART_CHUNK_MAX];

	start(RAMPART_CMD_LOAD_CHUNK);
	rnl_put_u32(&m, RAMPART_A_LOAD_OFFSET, off);
	rnl_put(&m, RAMPART_A_LOAD_DATA, zeros, len);
	return send_it();
}

int main(void)
{
	uint8_t addr[16], key[sizeof(struct rampart_test_key)] = { 0 };
	struct rnl_status before, after;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rnl_open(&nl);
	if (ret || rnl_status(&nl, &before) || !before.has_table) {
		fprintf(stderr, "badnl: needs the module and a running table\n");
		return 2;
	}
	rnl_parse_addr("10.9.9.9", addr);

	/* The upload protocol out of order. */
	start(RAMPART_CMD_LOAD_COMMIT);
	expect("commit-without-upload", send_it(), -ENOENT, 1);
	expect("chunk-without-begin", chunk(0, 16), -ENOENT, 1);
	start(RAMPART_CMD_LOAD_BEGIN);
	expect("begin-without-size", send_it(), -EINVAL, 1);
	expect_attr("begin-without-size", RAMPART_A_LOAD_SIZE);
	expect("begin-size-zero", begin(0), -EINVAL, 1);
	expect_attr("begin-size-zero", RAMPART_A_LOAD_SIZE);
	expect("begin-size-below-header", begin(100), -EINVAL, 1);
	expect("begin-size-too-big", begin(RAMPART_TABLE_MAX + 1), -EINVAL, 1);
	expect_attr("begin-size-too-big", RAMPART_A_LOAD_SIZE);
	expect("begin-ok", begin(1000), 0, 0);
	expect("chunk-gap", chunk(8, 16), -EINVAL, 1);
	expect_attr("chunk-gap", RAMPART_A_LOAD_OFFSET);
	expect("chunk-overrun", chunk(0, 1001), -EMSGSIZE, 1);
	expect_attr("chunk-overrun", RAMPART_A_LOAD_DATA);
	start(RAMPART_CMD_LOAD_CHUNK);
	rnl_put_u32(&m, RAMPART_A_LOAD_OFFSET, 0);
	rnl_put(&m, RAMPART_A_LOAD_DATA, "", 0);
	expect("chunk-empty", send_it(), -EINVAL, 1);
	expect_attr("chunk-empty", RAMPART_A_LOAD_DATA);
	start(RAMPART_CMD_LOAD_CHUNK);
	rnl_put(&m, RAMPART_A_LOAD_DATA, "abcd", 4);
	expect("chunk-without-offset", send_it(), -EINVAL, 1);
	expect_attr("chunk-without-offset", RAMPART_A_LOAD_OFFSET);
	expect("chunk-ok", chunk(0, 500), 0, 0);
	start(RAMPART_CMD_LOAD_COMMIT);
	expect("commit-incomplete", send_it(), -EINVAL, 1);
	expect("chunk-rest", chunk(500, 500), 0, 0);
	start(RAMPART_CMD_LOAD_COMMIT);
	ret = send_it();
	expect("commit-zeros-refused", ret, -EINVAL, 1);
	if (nl.verify_code != 2)
		printf("FAIL commit-zeros-refused: verify code %d, want 2 (magic)\n", nl.verify_code), bad++;

	/* Attributes the policy refuses. */
	start(RAMPART_CMD_LOAD_BEGIN);
	rnl_put(&m, RAMPART_A_LOAD_SIZE, "\1\0", 2);
	expect("u32-of-2-bytes", send_it(), -EINVAL, 1);
	expect_attr("u32-of-2-bytes", RAMPART_A_LOAD_SIZE);
	start(RAMPART_CMD_STATUS);
	rnl_put_u32(&m, 200, 1);
	expect("unknown-attribute", send_it(), -EINVAL, 1);
	start(RAMPART_CMD_STATUS);
	rnl_put_u32(&m, RAMPART_A_LOAD_SIZE, 1);
	expect("attribute-of-another-command", send_it(), -EINVAL, 1);
	expect_attr("attribute-of-another-command", RAMPART_A_LOAD_SIZE);
	start(RAMPART_CMD_STATUS);
	rnl_put_u32(&m, RAMPART_A_GENERATION, 1);
	expect("reply-only-attribute", send_it(), -EINVAL, 1);
	expect_attr("reply-only-attribute", RAMPART_A_GENERATION);
	start(RAMPART_CMD_LOAD_COMMIT);
	rnl_put_u32(&m, RAMPART_A_FLAGS, 0x80);
	expect("unknown-flag", send_it(), -EINVAL, 1);
	expect_attr("unknown-flag", RAMPART_A_FLAGS);
	start(RAMPART_CMD_LOAD_COMMIT);
	rnl_put_u32(&m, RAMPART_A_CONFIRM_TIMEOUT, 0);
	expect("confirm-timeout-zero", send_it(), -ERANGE, 1);
	expect_attr("confirm-timeout-zero", RAMPART_A_CONFIRM_TIMEOUT);
	start(RAMPART_CMD_LOAD_COMMIT);
	rnl_put_u32(&m, RAMPART_A_CONFIRM_TIMEOUT, RAMPART_CONFIRM_MAX + 1);
	expect("confirm-timeout-too-long", send_it(), -ERANGE, 1);
	start(RAMPART_CMD_CONFIG);
	rnl_put_u8(&m, RAMPART_A_ENABLED, 2);
	expect("enabled-not-boolean", send_it(), -ERANGE, 1);
	expect_attr("enabled-not-boolean", RAMPART_A_ENABLED);
	start(RAMPART_CMD_STATUS);
	{
		/* An attribute whose length runs past the end of the message. */
		struct nlattr a = { .nla_len = 64, .nla_type = RAMPART_A_LOAD_SIZE };

		memcpy(m.buf + m.len, &a, sizeof(a));
		m.len += sizeof(a);
	}
	expect("attribute-past-end", send_it(), -EINVAL, 1);
	start(RAMPART_CMD_STATUS);
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->reserved = 7;
	expect("reserved-header-field", send_it(), -EINVAL, 1);
	start(99);
	expect("unknown-command", send_it(), -EOPNOTSUPP, 0);
	start(RAMPART_CMD_FLOW_FLUSH);
	rnl_put_u32(&m, RAMPART_A_FLOW_END, 1);
	expect("flow-flush-with-attribute", send_it(), -EINVAL, 1);
	start(RAMPART_CMD_FLOWS);
	expect("flow-export-as-request", send_it(), -EOPNOTSUPP, 0);
	start(RAMPART_CMD_UNSPEC);
	expect("command-zero", send_it(), -EOPNOTSUPP, 0);

	/* Commands that make no sense in the current state. */
	start(RAMPART_CMD_CONFIRM);
	expect("confirm-nothing-pending", send_it(), -ENOENT, 1);

	/* Dynamic sets. */
	expect("set-unknown", rnl_set_add(&nl, "nosuchset", addr, -1), -ENOENT, 1);
	start(RAMPART_CMD_SET_ADD);
	rnl_put_str(&m, RAMPART_A_SET_NAME, "blocklist");
	rnl_put(&m, RAMPART_A_SET_ADDR, addr, 4);
	expect("set-address-4-bytes", send_it(), -ERANGE, 1);
	expect_attr("set-address-4-bytes", RAMPART_A_SET_ADDR);
	start(RAMPART_CMD_SET_ADD);
	rnl_put(&m, RAMPART_A_SET_NAME, "blocklist", 9);
	rnl_put(&m, RAMPART_A_SET_ADDR, addr, 16);
	expect("set-name-not-terminated", send_it(), -EINVAL, 1);
	expect_attr("set-name-not-terminated", RAMPART_A_SET_NAME);
	start(RAMPART_CMD_SET_ADD);
	rnl_put(&m, RAMPART_A_SET_ADDR, addr, 16);
	expect("set-without-name", send_it(), -EINVAL, 1);
	expect_attr("set-without-name", RAMPART_A_SET_NAME);
	expect("set-del-absent", rnl_set_del(&nl, "blocklist", addr), -ENOENT, 1);
	start(RAMPART_CMD_SET_DEL);
	rnl_put_str(&m, RAMPART_A_SET_NAME, "blocklist");
	rnl_put(&m, RAMPART_A_SET_ADDR, addr, 16);
	rnl_put_u32(&m, RAMPART_A_SET_TIMEOUT, 5);
	expect("set-del-with-timeout", send_it(), -EINVAL, 1);
	expect_attr("set-del-with-timeout", RAMPART_A_SET_TIMEOUT);

	/* The test command. */
	start(RAMPART_CMD_TEST_PACKET);
	rnl_put(&m, RAMPART_A_TEST_KEYS, key, 100);
	expect("test-partial-key", send_it(), -EINVAL, 1);
	expect_attr("test-partial-key", RAMPART_A_TEST_KEYS);
	key[0] = 7;
	start(RAMPART_CMD_TEST_PACKET);
	rnl_put(&m, RAMPART_A_TEST_KEYS, key, sizeof(key));
	expect("test-bad-hook", send_it(), -EINVAL, 1);
	expect_attr("test-bad-hook", RAMPART_A_TEST_KEYS);
	start(RAMPART_CMD_TEST_PACKET);
	expect("test-nothing", send_it(), -EINVAL, 1);
	start(RAMPART_CMD_TEST_PACKET);
	rnl_put(&m, RAMPART_A_TEST_RAW, "\x45", 1);
	expect("test-raw-without-hook", send_it(), -EINVAL, 1);
	start(RAMPART_CMD_TEST_PACKET);
	rnl_put_u32(&m, RAMPART_A_HOOK, 1);
	rnl_put(&m, RAMPART_A_TEST_RAW, "\x55\0\0\0", 4);
	expect("test-raw-version-5", send_it(), -EINVAL, 1);
	expect_attr("test-raw-version-5", RAMPART_A_TEST_RAW);
	start(RAMPART_CMD_TEST_PACKET);
	rnl_put_u32(&m, RAMPART_A_HOOK, 3);
	rnl_put(&m, RAMPART_A_TEST_RAW, "\x45\0\0\0", 4);
	expect("test-raw-hook-3", send_it(), -ERANGE, 1);
	expect_attr("test-raw-hook-3", RAMPART_A_HOOK);

	if (rnl_status(&nl, &after) || after.generation != before.generation ||
	    after.load_seq != before.load_seq) {
		printf("FAIL running table changed: %016llx/%u -> %016llx/%u\n",
		       (unsigned long long)before.generation, before.load_seq,
		       (unsigned long long)after.generation, after.load_seq);
		bad++;
	}
	printf("%d refused as expected, %d wrong\n", good, bad);
	return bad ? 1 : 0;
}
