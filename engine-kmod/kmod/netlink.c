// SPDX-License-Identifier: GPL-2.0
/*
 * The "rampart" generic netlink family (include/uapi/linux/rampart.h). Every operation validates
 * strictly against one policy, then refuses any attribute the command does not use, naming it in
 * the extended ACK: nothing unknown is silently ignored.
 */
#include <linux/if.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <asm/unaligned.h>

#include "flowlog.h"
#include "rampart.h"

static struct genl_family rampart_family;

static struct netlink_range_validation confirm_range = {
	.min = 1, .max = RAMPART_CONFIRM_MAX,
};
static struct netlink_range_validation set_timeout_range = {
	.min = 0, .max = RAMPART_CONFIRM_MAX * 365ull,
};

static const struct nla_policy policy[RAMPART_A_MAX + 1] = {
	[RAMPART_A_LOAD_SIZE] = { .type = NLA_U32 },
	[RAMPART_A_LOAD_OFFSET] = { .type = NLA_U32 },
	[RAMPART_A_LOAD_DATA] = { .type = NLA_BINARY, .len = RAMPART_CHUNK_MAX },
	[RAMPART_A_CONFIRM_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &confirm_range),
	[RAMPART_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, RAMPART_F_ALL),
	[RAMPART_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[RAMPART_A_FAIL_CLOSED] = NLA_POLICY_MAX(NLA_U8, 1),
	[RAMPART_A_HOOK] = NLA_POLICY_MAX(NLA_U32, RAMPART_HOOK_OUTPUT),
	[RAMPART_A_SET_NAME] = { .type = NLA_NUL_STRING, .len = RAMPART_SET_NAME_MAX - 1 },
	[RAMPART_A_SET_ADDR] = NLA_POLICY_EXACT_LEN(16),
	[RAMPART_A_SET_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &set_timeout_range),
	[RAMPART_A_TEST_KEYS] = { .type = NLA_BINARY,
				  .len = RAMPART_TEST_BATCH_MAX * sizeof(struct rampart_test_key) },
	[RAMPART_A_TEST_RAW] = { .type = NLA_BINARY, .len = 65535 },
	[RAMPART_A_TEST_IIF] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[RAMPART_A_TEST_OIF] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[RAMPART_A_TEST_STATE] = NLA_POLICY_MAX(NLA_U32, 3),
};

#define A(x) BIT_ULL(RAMPART_A_##x)

/* Refuses every attribute outside allowed, and reports the first required one missing. */
static int check_attrs(struct nlattr **attrs, struct netlink_ext_ack *extack, u64 allowed,
		       u64 required)
{
	int i;

	for (i = 1; i <= RAMPART_A_MAX; i++) {
		if (attrs[i] && !(allowed & BIT_ULL(i))) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[i], "attribute not used by this command");
			return -EINVAL;
		}
		if (!attrs[i] && (required & BIT_ULL(i))) {
			NL_SET_ERR_ATTR_MISS(extack, NULL, i);
			NL_SET_ERR_MSG_MOD(extack, "required attribute missing");
			return -EINVAL;
		}
	}
	return 0;
}

static struct rampart_net *net_of(struct genl_info *info)
{
	return rampart_pernet(genl_info_net(info));
}

static const char *const verify_msg[] = {
	[RAMPART_E_SHORT] = "table refused: shorter than its header or its total_length",
	[RAMPART_E_MAGIC] = "table refused: bad magic",
	[RAMPART_E_VERSION] = "table refused: unsupported major version",
	[RAMPART_E_LENGTH] = "table refused: total_length differs from the uploaded size",
	[RAMPART_E_CHECKSUM] = "table refused: checksum mismatch",
	[RAMPART_E_FLAGS] = "table refused: unknown flag or non-zero reserved field",
	[RAMPART_E_SECTION] = "table refused: section misaligned or out of bounds",
	[RAMPART_E_LIMIT] = "table refused: a size limit is exceeded",
	[RAMPART_E_STRING] = "table refused: string out of the string section",
	[RAMPART_E_RULE] = "table refused: bad rule record",
	[RAMPART_E_CHAIN] = "table refused: bad chain record",
	[RAMPART_E_SET] = "table refused: bad set record",
	[RAMPART_E_TERM] = "table refused: bad term record",
	[RAMPART_E_EXT] = "table refused: bad extra condition",
	[RAMPART_E_INTERVAL] = "table refused: bad interval",
	[RAMPART_E_TREE] = "table refused: bad tree record",
	[RAMPART_E_NODE] = "table refused: bad tree node",
	[RAMPART_E_REF] = "table refused: bad child reference",
	[RAMPART_E_LEAF] = "table refused: bad leaf",
};

static int fill_status(struct sk_buff *msg, struct rampart_net *rn)
{
	const struct rampart_ktable *kt;

	lockdep_assert_held(&rn->lock);
	kt = rcu_dereference_protected(rn->active, lockdep_is_held(&rn->lock));
	if (kt && (nla_put_u64_64bit(msg, RAMPART_A_GENERATION, kt->generation, RAMPART_A_PAD) ||
		   nla_put_u32(msg, RAMPART_A_LOAD_SEQ, kt->load_seq) ||
		   nla_put_u32(msg, RAMPART_A_RULES, kt->t.count[RAMPART_SEC_RULES])))
		return -EMSGSIZE;
	if (rn->previous && nla_put_u64_64bit(msg, RAMPART_A_PREV_GENERATION,
					      rn->previous->generation, RAMPART_A_PAD))
		return -EMSGSIZE;
	if (rn->confirm_pending) {
		long left = (long)(rn->confirm_deadline - jiffies);

		if (nla_put_u32(msg, RAMPART_A_CONFIRM_LEFT,
				left > 0 ? jiffies_to_msecs(left) : 0))
			return -EMSGSIZE;
	}
	if (rn->reverts && nla_put_u64_64bit(msg, RAMPART_A_LAST_REVERTED, rn->last_reverted,
					     RAMPART_A_PAD))
		return -EMSGSIZE;
	if (nla_put_u32(msg, RAMPART_A_REVERTS, rn->reverts) ||
	    nla_put_u64_64bit(msg, RAMPART_A_MEMORY, rampart_memory(), RAMPART_A_PAD) ||
	    nla_put_u8(msg, RAMPART_A_ENABLED, READ_ONCE(rampart_enabled)) ||
	    nla_put_u8(msg, RAMPART_A_FAIL_CLOSED, READ_ONCE(rampart_fail_closed)) ||
	    nla_put_u64_64bit(msg, RAMPART_A_MALFORMED, atomic64_read(&rn->malformed),
			      RAMPART_A_PAD) ||
	    nla_put_u64_64bit(msg, RAMPART_A_FAILURES, atomic64_read(&rampart_stat_verify_failed),
			      RAMPART_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int reply_status(struct genl_info *info, struct rampart_net *rn, u8 cmd)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;
	int ret;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rampart_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&rn->lock);
	ret = fill_status(msg, rn);
	mutex_unlock(&rn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_load_begin(struct sk_buff *skb, struct genl_info *info)
{
	int ret = check_attrs(info->attrs, info->extack, A(LOAD_SIZE), A(LOAD_SIZE));

	if (ret)
		return ret;
	ret = rampart_load_begin(net_of(info), nla_get_u32(info->attrs[RAMPART_A_LOAD_SIZE]),
				 info->extack);
	if (ret == -EINVAL)
		info->extack->bad_attr = info->attrs[RAMPART_A_LOAD_SIZE];
	return ret;
}

static int cmd_load_chunk(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *data = info->attrs[RAMPART_A_LOAD_DATA];
	int ret = check_attrs(info->attrs, info->extack, A(LOAD_OFFSET) | A(LOAD_DATA),
			      A(LOAD_OFFSET) | A(LOAD_DATA));

	if (ret)
		return ret;
	if (!nla_len(data)) {
		NL_SET_ERR_MSG_ATTR(info->extack, data, "empty chunk");
		return -EINVAL;
	}
	ret = rampart_load_chunk(net_of(info), nla_get_u32(info->attrs[RAMPART_A_LOAD_OFFSET]),
				 nla_data(data), nla_len(data), info->extack);
	/* Name the attribute at fault: an offset out of order, or data past the announced size. */
	if (ret == -EINVAL)
		info->extack->bad_attr = info->attrs[RAMPART_A_LOAD_OFFSET];
	else if (ret == -EMSGSIZE)
		info->extack->bad_attr = data;
	return ret;
}

/* A refused table: the verifier's code and offset as a reply, then the error itself. */
static void reply_verify_error(struct genl_info *info, const struct rampart_verify_error *verr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return;
	hdr = genlmsg_put_reply(msg, info, &rampart_family, 0, RAMPART_CMD_LOAD_COMMIT);
	if (!hdr || nla_put_u32(msg, RAMPART_A_VERIFY_ERROR, verr->code) ||
	    nla_put_u32(msg, RAMPART_A_VERIFY_OFFSET, verr->offset)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_reply(msg, info);
}

static int cmd_load_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct rampart_verify_error verr = { 0 };
	struct rampart_net *rn = net_of(info);
	u32 confirm = 0, flags = 0;
	int ret = check_attrs(info->attrs, info->extack, A(CONFIRM_TIMEOUT) | A(FLAGS), 0);

	if (ret)
		return ret;
	if (info->attrs[RAMPART_A_CONFIRM_TIMEOUT])
		confirm = nla_get_u32(info->attrs[RAMPART_A_CONFIRM_TIMEOUT]);
	if (info->attrs[RAMPART_A_FLAGS])
		flags = nla_get_u32(info->attrs[RAMPART_A_FLAGS]);
	/* The flow log must exist before a table can send packets to it. */
	if (!(flags & RAMPART_F_DRY_RUN)) {
		ret = rampart_flowlog_ensure(rn, info->extack);
		if (ret)
			return ret;
	}
	ret = rampart_load_commit(rn, confirm, flags, &verr, info->extack);
	if (ret && verr.code) {
		reply_verify_error(info, &verr);
		if (verr.code > 0 && verr.code < ARRAY_SIZE(verify_msg) && verify_msg[verr.code])
			info->extack->_msg = verify_msg[verr.code];
		return ret;
	}
	if (ret)
		return ret;
	return reply_status(info, rn, RAMPART_CMD_LOAD_COMMIT);
}

static int cmd_confirm(struct sk_buff *skb, struct genl_info *info)
{
	int ret = check_attrs(info->attrs, info->extack, 0, 0);

	return ret ? ret : rampart_confirm(net_of(info), info->extack);
}

static int cmd_rollback(struct sk_buff *skb, struct genl_info *info)
{
	int ret = check_attrs(info->attrs, info->extack, 0, 0);

	return ret ? ret : rampart_rollback(net_of(info), info->extack);
}

static int cmd_status(struct sk_buff *skb, struct genl_info *info)
{
	int ret = check_attrs(info->attrs, info->extack, 0, 0);

	return ret ? ret : reply_status(info, net_of(info), RAMPART_CMD_STATUS);
}

static int cmd_config(struct sk_buff *skb, struct genl_info *info)
{
	int ret = check_attrs(info->attrs, info->extack, A(ENABLED) | A(FAIL_CLOSED), 0);

	if (ret)
		return ret;
	if (info->attrs[RAMPART_A_ENABLED]) {
		WRITE_ONCE(rampart_enabled, nla_get_u8(info->attrs[RAMPART_A_ENABLED]));
		pr_warn("rampart: enabled set to %d\n", rampart_enabled);
	}
	if (info->attrs[RAMPART_A_FAIL_CLOSED]) {
		WRITE_ONCE(rampart_fail_closed, nla_get_u8(info->attrs[RAMPART_A_FAIL_CLOSED]));
		pr_warn("rampart: fail_closed set to %d\n", rampart_fail_closed);
	}
	return 0;
}

static u64 total(const struct rampart_ktable *kt, u32 i, u64 *bytes, unsigned long *last)
{
	unsigned int cpu;
	u64 packets = 0;

	*bytes = 0;
	*last = 0;
	for_each_possible_cpu(cpu) {
		const struct rampart_counter *c = kt->pcpu[cpu] + i;
		unsigned long l = READ_ONCE(c->last);

		packets += READ_ONCE(c->packets);
		*bytes += READ_ONCE(c->bytes);
		if (l && (!*last || time_after(l, *last)))
			*last = l;
	}
	return packets;
}

static int dump_counters(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rampart_net *rn = rampart_pernet(sock_net(skb->sk));
	const struct rampart_ktable *kt;
	u32 i, nrules;
	int ret = 0;

	rcu_read_lock();
	kt = rcu_dereference(rn->active);
	if (!kt)
		goto out;
	/* A different table than at the start of the dump: the reader sees NLM_F_DUMP_INTR. */
	cb->seq = kt->load_seq;
	nrules = kt->t.count[RAMPART_SEC_RULES];
	for (i = cb->args[0]; i < kt->ncounters; i++) {
		unsigned long last;
		u64 bytes, packets = total(kt, i, &bytes, &last);
		void *hdr;

		if (i >= nrules && !packets)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &rampart_family, NLM_F_MULTI, RAMPART_CMD_COUNTERS);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u64_64bit(skb, RAMPART_A_GENERATION, kt->generation, RAMPART_A_PAD) ||
		    nla_put_u32(skb, RAMPART_A_LOAD_SEQ, kt->load_seq) ||
		    (i < nrules &&
		     (nla_put_u32(skb, RAMPART_A_RULE_ID,
				  rampart_rd32(kt->t.sec[RAMPART_SEC_RULES] + 8 * (size_t)i)) ||
		      nla_put_u32(skb, RAMPART_A_RULE_INDEX, i))) ||
		    (i >= nrules && nla_put_u32(skb, RAMPART_A_HOOK, i - nrules)) ||
		    nla_put_u64_64bit(skb, RAMPART_A_PACKETS, packets, RAMPART_A_PAD) ||
		    nla_put_u64_64bit(skb, RAMPART_A_BYTES, bytes, RAMPART_A_PAD) ||
		    (last && nla_put_u64_64bit(skb, RAMPART_A_LAST_HIT,
					       jiffies_to_msecs(jiffies - last), RAMPART_A_PAD))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
out:
	rcu_read_unlock();
	return ret ? ret : skb->len;
}

/* The running table's set of that name, or NULL; under rcu_read_lock or rn->lock. */
static struct rampart_set *set_by_name(const struct rampart_ktable *kt, const char *name)
{
	u32 i;

	for (i = 0; kt && i < kt->nsets; i++)
		if (!strcmp(kt->sets[i]->name, name))
			return kt->sets[i];
	return NULL;
}

static void addr_of(const struct nlattr *a, u64 addr[2])
{
	const u8 *b = nla_data(a);

	addr[0] = get_unaligned_be64(b);
	addr[1] = get_unaligned_be64(b + 8);
}

static int cmd_set_change(struct sk_buff *skb, struct genl_info *info)
{
	bool add = info->genlhdr->cmd == RAMPART_CMD_SET_ADD;
	struct rampart_net *rn = net_of(info);
	struct rampart_set *s;
	u64 addr[2];
	int ret = check_attrs(info->attrs, info->extack,
			      A(SET_NAME) | A(SET_ADDR) | (add ? A(SET_TIMEOUT) : 0),
			      A(SET_NAME) | A(SET_ADDR));

	if (ret)
		return ret;
	addr_of(info->attrs[RAMPART_A_SET_ADDR], addr);
	mutex_lock(&rn->lock);
	s = set_by_name(rcu_dereference_protected(rn->active, lockdep_is_held(&rn->lock)),
			nla_data(info->attrs[RAMPART_A_SET_NAME]));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RAMPART_A_SET_NAME],
				    "no dynamic set of that name in the running table");
		ret = -ENOENT;
	} else if (add) {
		struct nlattr *t = info->attrs[RAMPART_A_SET_TIMEOUT];

		ret = rampart_set_add(s, addr, t ? nla_get_u32(t) : 0, t, info->extack);
		if (ret)
			info->extack->bad_attr = info->attrs[RAMPART_A_SET_ADDR];
	} else {
		ret = rampart_set_del(s, addr);
		if (ret)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RAMPART_A_SET_ADDR],
					    "address not in the set");
	}
	mutex_unlock(&rn->lock);
	return ret;
}

static int set_list_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct rampart_net *rn = rampart_pernet(sock_net(cb->skb->sk));
	int ret = check_attrs(di->attrs, cb->extack, A(SET_NAME), A(SET_NAME));

	if (ret)
		return ret;
	rcu_read_lock();
	if (!set_by_name(rcu_dereference(rn->active), nla_data(di->attrs[RAMPART_A_SET_NAME]))) {
		NL_SET_ERR_MSG_ATTR(cb->extack, di->attrs[RAMPART_A_SET_NAME],
				    "no dynamic set of that name in the running table");
		ret = -ENOENT;
	}
	rcu_read_unlock();
	return ret;
}

struct list_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned long now;
};

static int emit_elem(void *arg, const u64 addr[2], unsigned long expires)
{
	struct list_ctx *c = arg;
	u8 b[16];
	void *hdr = genlmsg_put(c->skb, NETLINK_CB(c->cb->skb).portid, c->cb->nlh->nlmsg_seq,
				&rampart_family, NLM_F_MULTI, RAMPART_CMD_SET_LIST);

	if (!hdr)
		return -EMSGSIZE;
	put_unaligned_be64(addr[0], b);
	put_unaligned_be64(addr[1], b + 8);
	if (nla_put(c->skb, RAMPART_A_SET_ADDR, 16, b) ||
	    (expires && nla_put_u32(c->skb, RAMPART_A_SET_EXPIRES,
				    jiffies_to_msecs(expires - c->now)))) {
		genlmsg_cancel(c->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(c->skb, hdr);
	return 0;
}

static int dump_set(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct rampart_net *rn = rampart_pernet(sock_net(skb->sk));
	struct list_ctx c = { .skb = skb, .cb = cb, .now = jiffies };
	struct rampart_set *s;
	u64 pos = cb->args[0];

	rcu_read_lock();
	s = set_by_name(rcu_dereference(rn->active), nla_data(di->attrs[RAMPART_A_SET_NAME]));
	if (s)
		rampart_set_walk(s, &pos, emit_elem, &c);
	rcu_read_unlock();
	cb->args[0] = pos;
	return skb->len;
}

static int test_keys(struct genl_info *info, const struct rampart_ktable *kt, struct sk_buff *msg)
{
	struct nlattr *a = info->attrs[RAMPART_A_TEST_KEYS];
	const struct rampart_test_key *keys = nla_data(a);
	struct rampart_test_result *out;
	u32 n = nla_len(a) / sizeof(*keys), i;
	struct nlattr *ra;

	if (nla_len(a) % sizeof(*keys) || !n) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "not a whole number of test keys");
		return -EINVAL;
	}
	ra = nla_reserve(msg, RAMPART_A_TEST_RESULTS, n * sizeof(*out));
	if (!ra)
		return -EMSGSIZE;
	out = nla_data(ra);
	for (i = 0; i < n; i++) {
		struct rampart_result res;
		struct rampart_key key;

		if (keys[i].hook > RAMPART_HOOK_OUTPUT || keys[i].reserved) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "test key with bad hook or reserved field");
			return -EINVAL;
		}
		memcpy(key.w, keys[i].w, sizeof(key.w));
		memset(&out[i], 0, sizeof(out[i]));
		if (rampart_ktable_classify(kt, keys[i].hook, &key, &res) < 0) {
			out[i].verdict = RAMPART_TEST_NO_CHAIN;
			out[i].rule_index = RAMPART_NO_RULE;
			continue;
		}
		out[i].verdict = res.verdict;
		out[i].rule_index = res.rule_index;
		out[i].rule_id = res.rule_id;
		out[i].reject_kind = res.reject_kind;
	}
	return 0;
}

static int test_raw(struct genl_info *info, const struct rampart_ktable *kt, struct sk_buff *msg)
{
	struct nlattr *raw = info->attrs[RAMPART_A_TEST_RAW], **at = info->attrs;
	u32 hook = nla_get_u32(at[RAMPART_A_HOOK]);
	struct rampart_test_key tk = { .hook = hook };
	struct rampart_result res;
	struct rampart_key key;
	struct sk_buff *skb;
	u8 version;
	int ret;

	if (nla_len(raw) < 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, raw, "empty packet");
		return -EINVAL;
	}
	version = *(u8 *)nla_data(raw) >> 4;
	if (version != 4 && version != 6) {
		NL_SET_ERR_MSG_ATTR(info->extack, raw, "not an IPv4 or IPv6 packet");
		return -EINVAL;
	}
	skb = alloc_skb(nla_len(raw), GFP_ATOMIC);
	if (!skb) {
		NL_SET_ERR_MSG_MOD(info->extack, "no memory for the test packet");
		return -ENOMEM;
	}
	skb_put_data(skb, nla_data(raw), nla_len(raw));
	skb_reset_network_header(skb);
	skb->protocol = htons(version == 4 ? ETH_P_IP : ETH_P_IPV6);
	ret = rampart_extract(skb, version == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6, hook,
			      at[RAMPART_A_TEST_IIF] ? nla_data(at[RAMPART_A_TEST_IIF]) : NULL,
			      at[RAMPART_A_TEST_OIF] ? nla_data(at[RAMPART_A_TEST_OIF]) : NULL,
			      at[RAMPART_A_TEST_STATE] ? nla_get_u32(at[RAMPART_A_TEST_STATE]) : 0,
			      &key);
	kfree_skb(skb);
	if (ret)
		return nla_put_u64_64bit(msg, RAMPART_A_MALFORMED, 1, RAMPART_A_PAD);
	memcpy(tk.w, key.w, sizeof(tk.w));
	if (nla_put(msg, RAMPART_A_TEST_KEYS, sizeof(tk), &tk))
		return -EMSGSIZE;
	if (rampart_ktable_classify(kt, hook, &key, &res) < 0)
		return nla_put_u32(msg, RAMPART_A_VERDICT, RAMPART_TEST_NO_CHAIN);
	if (nla_put_u32(msg, RAMPART_A_VERDICT, res.verdict) ||
	    nla_put_u32(msg, RAMPART_A_RULE_INDEX, res.rule_index) ||
	    nla_put_u32(msg, RAMPART_A_RULE_ID, res.rule_id) ||
	    nla_put_u32(msg, RAMPART_A_REJECT_KIND, res.reject_kind))
		return -EMSGSIZE;
	return 0;
}

static int cmd_test(struct sk_buff *skb, struct genl_info *info)
{
	struct rampart_net *rn = net_of(info);
	bool raw = info->attrs[RAMPART_A_TEST_RAW];
	const struct rampart_ktable *kt;
	struct sk_buff *msg;
	size_t size;
	void *hdr;
	int ret;

	ret = raw ? check_attrs(info->attrs, info->extack, A(HOOK) | A(TEST_RAW) | A(TEST_IIF) |
				A(TEST_OIF) | A(TEST_STATE), A(HOOK) | A(TEST_RAW))
		  : check_attrs(info->attrs, info->extack, A(TEST_KEYS), A(TEST_KEYS));
	if (ret)
		return ret;
	size = raw ? NLMSG_DEFAULT_SIZE :
	       nla_total_size(nla_len(info->attrs[RAMPART_A_TEST_KEYS]) / 8) + NLMSG_DEFAULT_SIZE;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "no memory for the reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &rampart_family, 0, RAMPART_CMD_TEST_PACKET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	rcu_read_lock();
	kt = rcu_dereference(rn->active);
	if (!kt) {
		GENL_SET_ERR_MSG(info, "no table loaded");
		ret = -ENOENT;
	} else {
		ret = raw ? test_raw(info, kt, msg) : test_keys(info, kt, msg);
	}
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_flow_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u64 seq = 0;
	u32 records = 0;
	void *hdr;
	int ret = check_attrs(info->attrs, info->extack, 0, 0);

	if (ret)
		return ret;
	ret = rampart_flowlog_flush(net_of(info), &seq, &records, info->extack);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rampart_family, 0, RAMPART_CMD_FLOW_FLUSH);
	if (!hdr || nla_put_u64_64bit(msg, RAMPART_A_FLOW_EXPORT, seq, RAMPART_A_PAD) ||
	    nla_put_u32(msg, RAMPART_A_FLOW_END, records)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_ops ops[] = {
	{ .cmd = RAMPART_CMD_LOAD_BEGIN, .doit = cmd_load_begin, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_LOAD_CHUNK, .doit = cmd_load_chunk, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_LOAD_COMMIT, .doit = cmd_load_commit, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_CONFIRM, .doit = cmd_confirm, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_ROLLBACK, .doit = cmd_rollback, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_STATUS, .doit = cmd_status, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_COUNTERS, .dumpit = dump_counters, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_SET_ADD, .doit = cmd_set_change, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_SET_DEL, .doit = cmd_set_change, .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_SET_LIST, .start = set_list_start, .dumpit = dump_set,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_TEST_PACKET, .doit = cmd_test, .flags = GENL_UNS_ADMIN_PERM },
	/* Module-wide switches: only the initial namespace's administrator. */
	{ .cmd = RAMPART_CMD_CONFIG, .doit = cmd_config, .flags = GENL_ADMIN_PERM },
	{ .cmd = RAMPART_CMD_FLOW_FLUSH, .doit = cmd_flow_flush, .flags = GENL_UNS_ADMIN_PERM },
};

/* Flow records say who talks to whom: only a namespace's administrator may subscribe. */
static const struct genl_multicast_group mcgrps[] = {
	{ .name = RAMPART_GENL_MCGRP_FLOWS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family rampart_family __ro_after_init = {
	.name = RAMPART_GENL_NAME,
	.version = RAMPART_GENL_VERSION,
	.maxattr = RAMPART_A_MAX,
	.policy = policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = ops,
	.n_ops = ARRAY_SIZE(ops),
	.mcgrps = mcgrps,
	.n_mcgrps = ARRAY_SIZE(mcgrps),
	/* Strict validation for every command: unknown attributes and header bits are errors. */
	.resv_start_op = RAMPART_CMD_LOAD_BEGIN,
};

int rampart_netlink_init(void)
{
	return genl_register_family(&rampart_family);
}

struct sk_buff *rampart_flow_msg_new(size_t size, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &rampart_family, 0, RAMPART_CMD_FLOWS);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int rampart_flow_msg_send(struct net *net, struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	return genlmsg_multicast_netns(&rampart_family, net, msg, 0, 0, GFP_KERNEL);
}

bool rampart_flow_listeners(struct net *net)
{
	return genl_has_listeners(&rampart_family, net, 0);
}

void rampart_netlink_exit(void)
{
	/* The last exports go out while the family can still carry them. */
	rampart_flowlog_stop();
	genl_unregister_family(&rampart_family);
}
