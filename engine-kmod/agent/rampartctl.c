// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rampartctl: the command line over rampart_nl.c. Acts on the network namespace it runs in.
 * Exit status: 0 done, 1 the kernel refused (message printed), 2 usage or local error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rampart_nl.h"

static const char *const verdicts[] = { "accept", "drop", "reject" };
static const char *const hooks[] = { "input", "forward", "output" };
static const char *const states[] = { "new", "established", "related", "invalid" };

static void usage(void)
{
	fputs("usage: rampartctl COMMAND ...\n"
	      "  load FILE [--confirm SECONDS] [--dry-run]\n"
	      "  confirm | rollback | status | counters\n"
	      "  set add NAME ADDR [--timeout SECONDS] | set del NAME ADDR | set list NAME\n"
	      "  test-packet HOOK [src=A dst=A proto=P sport=N dport=N type=N code=N flags=N\n"
	      "                    state=new|established|related|invalid iif=NAME oif=NAME]\n"
	      "  test-keys KEYFILE        one line per key: VERDICT RULE_INDEX RULE_ID\n"
	      "  test-raw HOOK HEX [iif=NAME] [oif=NAME] [state=S]\n"
	      "  config [enabled=0|1] [fail_closed=0|1]\n"
	      "  flows [--once]           print flow records as exported (--once: export now,\n"
	      "                           print that export, exit)\n"
	      "  flows flush              export now (to the subscribers)\n", stderr);
	exit(2);
}

static int fail(struct rnl *nl, const char *what, int err)
{
	fprintf(stderr, "rampartctl: %s: %s", what, strerror(-err));
	if (nl->err_msg[0])
		fprintf(stderr, ": %s", nl->err_msg);
	if (nl->err_attr > 0)
		fprintf(stderr, " (attribute %d)", nl->err_attr);
	if (nl->verify_code)
		fprintf(stderr, " [verify error %d at byte %u]", nl->verify_code, nl->verify_offset);
	fputc('\n', stderr);
	return 1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n;

	if (!f)
		return NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			uint8_t *b = realloc(buf, cap ? cap * 2 : 65536);

			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (!n)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

static int hook_of(const char *s)
{
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, hooks[i]))
			return i;
	fprintf(stderr, "rampartctl: unknown hook '%s' (input, forward or output)\n", s);
	exit(2);
}

static int state_of(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, states[i]))
			return i;
	fprintf(stderr, "rampartctl: unknown state '%s'\n", s);
	exit(2);
}

static void print_status(const struct rnl_status *st)
{
	if (st->has_table)
		printf("generation %016" PRIx64 "\nload_seq %u\nrules %u\n", st->generation,
		       st->load_seq, st->rules);
	else
		printf("generation none\n");
	if (st->has_prev)
		printf("previous %016" PRIx64 "\n", st->prev_generation);
	if (st->confirm_pending)
		printf("confirm_left_ms %u\n", st->confirm_left_ms);
	printf("reverts %u\n", st->reverts);
	if (st->reverts)
		printf("last_reverted %016" PRIx64 "\n", st->last_reverted);
	printf("memory %" PRIu64 "\nmalformed %" PRIu64 "\nverify_failures %" PRIu64
	       "\nenabled %d\nfail_closed %d\n", st->memory, st->malformed, st->failures,
	       st->enabled, st->fail_closed);
}

static int print_counter(void *arg, const struct rnl_counter *c)
{
	if (c->is_policy)
		printf("%016" PRIx64 " policy-%s packets %" PRIu64 " bytes %" PRIu64, c->generation,
		       hooks[c->hook % 3], c->packets, c->bytes);
	else
		printf("%016" PRIx64 " rule %08x index %u packets %" PRIu64 " bytes %" PRIu64,
		       c->generation, c->rule_id, c->rule_index, c->packets, c->bytes);
	if (c->last_hit_ms >= 0)
		printf(" last_hit_ms %" PRId64, c->last_hit_ms);
	putchar('\n');
	return 0;
}

static int print_elem(void *arg, const uint8_t addr[16], int64_t expires_ms)
{
	char buf[64];

	rnl_format_addr(addr, buf, sizeof(buf));
	if (expires_ms >= 0)
		printf("%s expires_ms %" PRId64 "\n", buf, expires_ms);
	else
		printf("%s\n", buf);
	return 0;
}

static void set_ifname(const char *name, __u64 *hi, __u64 *lo)
{
	uint8_t b[16] = { 0 };
	int i;

	strncpy((char *)b, name, 15);
	*hi = *lo = 0;
	for (i = 0; i < 8; i++)
		*hi = *hi << 8 | b[i];
	for (i = 8; i < 16; i++)
		*lo = *lo << 8 | b[i];
}

static void addr_words(const uint8_t a[16], __u64 *hi, __u64 *lo)
{
	int i;

	*hi = *lo = 0;
	for (i = 0; i < 8; i++)
		*hi = *hi << 8 | a[i];
	for (i = 8; i < 16; i++)
		*lo = *lo << 8 | a[i];
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*s == 0 || *end) {
		fprintf(stderr, "rampartctl: not a number: '%s'\n", s);
		exit(2);
	}
	return v;
}

static unsigned proto_of(const char *s)
{
	if (!strcmp(s, "tcp"))
		return 6;
	if (!strcmp(s, "udp"))
		return 17;
	if (!strcmp(s, "icmp"))
		return 1;
	if (!strcmp(s, "icmpv6"))
		return 58;
	return num(s);
}

/* KEY=VALUE arguments into a test key (word numbers of the core's enum rampart_word). */
static void parse_key(int argc, char **argv, struct rampart_test_key *k)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		uint8_t a[16];

		if (!v)
			usage();
		*v++ = 0;
		if (!strcmp(argv[i], "src") || !strcmp(argv[i], "dst")) {
			int w = argv[i][0] == 's' ? 0 : 2;

			if (rnl_parse_addr(v, a)) {
				fprintf(stderr, "rampartctl: bad address '%s'\n", v);
				exit(2);
			}
			addr_words(a, &k->w[w], &k->w[w + 1]);
		} else if (!strcmp(argv[i], "proto")) {
			k->w[4] = proto_of(v);
		} else if (!strcmp(argv[i], "sport")) {
			k->w[5] = num(v);
		} else if (!strcmp(argv[i], "dport")) {
			k->w[6] = num(v);
		} else if (!strcmp(argv[i], "type")) {
			k->w[7] = num(v);
		} else if (!strcmp(argv[i], "code")) {
			k->w[8] = num(v);
		} else if (!strcmp(argv[i], "flags")) {
			k->w[9] = num(v);
		} else if (!strcmp(argv[i], "state")) {
			k->w[10] = state_of(v);
		} else if (!strcmp(argv[i], "iif")) {
			set_ifname(v, &k->w[11], &k->w[12]);
		} else if (!strcmp(argv[i], "oif")) {
			set_ifname(v, &k->w[13], &k->w[14]);
		} else {
			fprintf(stderr, "rampartctl: unknown key field '%s'\n", argv[i]);
			exit(2);
		}
	}
}

static void print_result(uint32_t verdict, uint32_t index, uint32_t id, uint32_t kind)
{
	if (verdict == RAMPART_TEST_NO_CHAIN) {
		printf("nochain\n");
		return;
	}
	printf("%s", verdict < 3 ? verdicts[verdict] : "?");
	if (index == 0xffffffffu)
		printf(" policy\n");
	else
		printf(" rule %08x index %u reject_kind %u\n", id, index, kind);
}

/* The key file of dev.rampart.dsl.table.KeyCodec: "RKEY", n keys, n set elements, elements, keys. */
static int test_keys(struct rnl *nl, const char *path)
{
	struct rampart_test_result res[RAMPART_TEST_BATCH_MAX];
	size_t len, i, n, nkeys, nelems, off;
	uint8_t *b = slurp(path, &len);
	int ret;

	if (!b || len < 12 || memcmp(b, "RKEY", 4)) {
		fprintf(stderr, "rampartctl: %s: not a key file\n", path);
		return 2;
	}
	nkeys = *(uint32_t *)(b + 4);
	nelems = *(uint32_t *)(b + 8);
	off = 12 + nelems * 24;
	if (len != off + nkeys * sizeof(struct rampart_test_key)) {
		fprintf(stderr, "rampartctl: %s: key file size does not match its counts\n", path);
		return 2;
	}
	for (i = 0; i < nkeys; i += n) {
		size_t j;

		n = nkeys - i < RAMPART_TEST_BATCH_MAX ? nkeys - i : RAMPART_TEST_BATCH_MAX;
		ret = rnl_test_keys(nl, (const struct rampart_test_key *)(b + off) + i, n, res);
		if (ret)
			return fail(nl, "test-keys", ret);
		for (j = 0; j < n; j++) {
			if (res[j].verdict == RAMPART_TEST_NO_CHAIN)
				printf("nochain\n");
			else
				printf("%u %d %u\n", res[j].verdict,
				       res[j].rule_index == 0xffffffffu ? -1 : (int)res[j].rule_index,
				       res[j].rule_id);
		}
	}
	free(b);
	return 0;
}

static int unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (s[0] && s[1] && n < max) {
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = v;
		s += 2;
	}
	return *s ? -1 : (int)n;
}

static int test_raw(struct rnl *nl, int argc, char **argv)
{
	static uint8_t pkt[65535];
	const char *iif = NULL, *oif = NULL;
	struct rnl_raw_result r;
	int len, i, state = -1, ret;

	if (argc < 2)
		usage();
	len = unhex(argv[1], pkt, sizeof(pkt));
	if (len < 0) {
		fprintf(stderr, "rampartctl: bad hex packet\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "iif=", 4))
			iif = argv[i] + 4;
		else if (!strncmp(argv[i], "oif=", 4))
			oif = argv[i] + 4;
		else if (!strncmp(argv[i], "state=", 6))
			state = state_of(argv[i] + 6);
		else
			usage();
	}
	ret = rnl_test_raw(nl, hook_of(argv[0]), pkt, len, iif, oif, state, &r);
	if (ret)
		return fail(nl, "test-raw", ret);
	if (r.malformed) {
		printf("malformed\n");
		return 0;
	}
	printf("key proto %llu sport %llu dport %llu type %llu code %llu flags %llu state %llu\n",
	       r.key.w[4], r.key.w[5], r.key.w[6], r.key.w[7], r.key.w[8], r.key.w[9], r.key.w[10]);
	print_result(r.verdict, r.rule_index, r.rule_id, r.reject_kind);
	return 0;
}

static const char *const reasons[] = { "interval", "full", "flush", "unload" };

static int print_flow(void *arg, uint64_t seq, const struct rampart_flow_record *r)
{
	char src[64], dst[64];

	rnl_format_addr(r->src, src, sizeof(src));
	rnl_format_addr(r->dst, dst, sizeof(dst));
	printf("flow export=%" PRIu64 " gen=%016" PRIx64, seq, (uint64_t)r->generation);
	if (r->rule_index == 0xffffffffu)
		printf(" rule=policy index=-");
	else
		printf(" rule=%08x index=%u", r->rule_id, r->rule_index);
	printf(" hook=%s verdict=%s family=%u proto=%u src=%s sport=%u dst=%s dport=%u type=%u"
	       " code=%u iif=%.16s oif=%.16s packets=%" PRIu64 " bytes=%" PRIu64 " tcp_flags=0x%02x"
	       " first_ms=%" PRIu64 " last_ms=%" PRIu64 "\n",
	       r->hook < 3 ? hooks[r->hook] : "?", r->verdict < 3 ? verdicts[r->verdict] : "?",
	       r->family, r->proto, src, r->sport, dst, r->dport, r->icmp_type, r->icmp_code,
	       r->iif[0] ? r->iif : "-", r->oif[0] ? r->oif : "-", (uint64_t)r->packets,
	       (uint64_t)r->bytes, r->tcp_flags, (uint64_t)r->first_ms, (uint64_t)r->last_ms);
	return 0;
}

struct flows_ctx {
	uint64_t stop_at;           /* 0: never */
	int done;
};

static int print_end(void *arg, const struct rnl_flow_end *e)
{
	struct flows_ctx *c = arg;

	printf("end export=%" PRIu64 " reason=%s records=%u lost_table_full=%" PRIu64
	       " lost_no_listener=%" PRIu64 " lost_send_failed=%" PRIu64 "\n", e->export_seq,
	       e->reason < 4 ? reasons[e->reason] : "?", e->records,
	       e->lost[RAMPART_FLOW_LOST_TABLE_FULL], e->lost[RAMPART_FLOW_LOST_NO_LISTENER],
	       e->lost[RAMPART_FLOW_LOST_SEND_FAILED]);
	if (c->stop_at && e->export_seq >= c->stop_at)
		c->done = 1;
	return 0;
}

/* flows [--once] | flows flush */
static int flows(struct rnl *cmd, int argc, char **argv)
{
	struct flows_ctx ctx = { 0 };
	struct rnl_flow_handler h = { print_flow, print_end, &ctx };
	int once = argc == 1 && !strcmp(argv[0], "--once");
	struct rnl sub;
	uint64_t seq;
	uint32_t records;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 1 && !strcmp(argv[0], "flush")) {
		ret = rnl_flows_flush(cmd, &seq, &records);
		if (ret)
			return fail(cmd, "flows flush", ret);
		printf("export %" PRIu64 " records %u\n", seq, records);
		return 0;
	}
	if (argc && !once)
		usage();
	ret = rnl_open(&sub);
	if (!ret)
		ret = rnl_flows_subscribe(&sub);
	if (ret)
		return fail(&sub, "flows subscribe", ret);
	if (once) {
		/* Every message of the export is queued on sub before the flush is answered. */
		ret = rnl_flows_flush(cmd, &seq, &records);
		if (ret)
			return fail(cmd, "flows flush", ret);
		ctx.stop_at = seq;
	}
	while (!ctx.done) {
		ret = rnl_flows_read(&sub, &h, once ? 5000 : -1);
		if (ret == 0 && once) {
			fprintf(stderr, "rampartctl: flows: export %" PRIu64 " did not arrive\n", seq);
			return 1;
		}
		if (ret == -ENOBUFS) {
			/* Not fatal: the kernel counts what we missed in a later END. */
			printf("overrun\n");
			continue;
		}
		if (ret < 0)
			return fail(&sub, "flows", ret);
	}
	rnl_close(&sub);
	return 0;
}

int main(int argc, char **argv)
{
	struct rnl nl;
	struct rnl_status st;
	const char *cmd;
	int ret;

	if (argc < 2)
		usage();
	cmd = argv[1];
	ret = rnl_open(&nl);
	if (ret)
		return fail(&nl, "open", ret);
	if (!strcmp(cmd, "load") && argc >= 3) {
		uint32_t confirm = 0, flags = 0;
		size_t len;
		uint8_t *blob;
		int i;

		for (i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--confirm") && i + 1 < argc)
				confirm = num(argv[++i]);
			else if (!strcmp(argv[i], "--dry-run"))
				flags |= RAMPART_F_DRY_RUN;
			else
				usage();
		}
		blob = slurp(argv[2], &len);
		if (!blob) {
			fprintf(stderr, "rampartctl: cannot read %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		ret = rnl_load(&nl, blob, len, confirm, flags, &st);
		free(blob);
		if (ret)
			return fail(&nl, "load", ret);
		print_status(&st);
	} else if (!strcmp(cmd, "confirm")) {
		ret = rnl_confirm(&nl);
		if (ret)
			return fail(&nl, "confirm", ret);
	} else if (!strcmp(cmd, "rollback")) {
		ret = rnl_rollback(&nl);
		if (ret)
			return fail(&nl, "rollback", ret);
	} else if (!strcmp(cmd, "status")) {
		ret = rnl_status(&nl, &st);
		if (ret)
			return fail(&nl, "status", ret);
		print_status(&st);
	} else if (!strcmp(cmd, "counters")) {
		ret = rnl_counters(&nl, print_counter, NULL);
		if (ret)
			return fail(&nl, "counters", ret);
	} else if (!strcmp(cmd, "set") && argc >= 4) {
		uint8_t addr[16];

		if (!strcmp(argv[2], "list")) {
			ret = rnl_set_list(&nl, argv[3], print_elem, NULL);
			if (ret)
				return fail(&nl, "set list", ret);
			return 0;
		}
		if (argc < 5 || rnl_parse_addr(argv[4], addr)) {
			fprintf(stderr, "rampartctl: set %s NAME ADDR: bad or missing address\n", argv[2]);
			return 2;
		}
		if (!strcmp(argv[2], "add")) {
			long timeout = -1;

			if (argc == 7 && !strcmp(argv[5], "--timeout"))
				timeout = num(argv[6]);
			else if (argc != 5)
				usage();
			ret = rnl_set_add(&nl, argv[3], addr, timeout);
		} else if (!strcmp(argv[2], "del") && argc == 5) {
			ret = rnl_set_del(&nl, argv[3], addr);
		} else {
			usage();
		}
		if (ret)
			return fail(&nl, "set", ret);
	} else if (!strcmp(cmd, "test-packet") && argc >= 3) {
		struct rampart_test_key k = { 0 };
		struct rampart_test_result r;

		k.hook = hook_of(argv[2]);
		parse_key(argc - 3, argv + 3, &k);
		ret = rnl_test_keys(&nl, &k, 1, &r);
		if (ret)
			return fail(&nl, "test-packet", ret);
		print_result(r.verdict, r.rule_index, r.rule_id, r.reject_kind);
	} else if (!strcmp(cmd, "test-keys") && argc == 3) {
		return test_keys(&nl, argv[2]);
	} else if (!strcmp(cmd, "test-raw") && argc >= 4) {
		return test_raw(&nl, argc - 2, argv + 2);
	} else if (!strcmp(cmd, "flows")) {
		return flows(&nl, argc - 2, argv + 2);
	} else if (!strcmp(cmd, "config")) {
		int enabled = -1, fail_closed = -1, i;

		for (i = 2; i < argc; i++) {
			if (!strncmp(argv[i], "enabled=", 8))
				enabled = num(argv[i] + 8);
			else if (!strncmp(argv[i], "fail_closed=", 12))
				fail_closed = num(argv[i] + 12);
			else
				usage();
		}
		ret = rnl_config(&nl, enabled, fail_closed);
		if (ret)
			return fail(&nl, "config", ret);
	} else {
		usage();
	}
	rnl_close(&nl);
	return 0;
}
