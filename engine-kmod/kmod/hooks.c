// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: IPv4 and IPv6 at input, forward and output in every network namespace,
 * at filter priority, after conntrack and defragmentation when they run in the namespace.
 *
 * Conntrack runs as in nftables: only while a table that tests connection state may run there
 * (the running table, or the previous one that a rollback or a missed confirm deadline would
 * bring back). Then `state` means what it means in nftables; without such a table the namespace
 * pays nothing for conntrack. Defragmentation, which conntrack would also bring, is kept on in
 * every namespace the module filters, stateful table or not: rules then always see whole
 * datagrams, as the simulator and `rampart trace` assume, and a stateless policy that accepts a
 * port does not drop the later fragments of that port's large datagrams. For a packet that is
 * not a fragment its hook returns at once.
 *
 * Theory of operation. Each packet becomes a struct rampart_key: addresses as 128-bit numbers
 * (IPv4 as ::ffff:a.b.c.d), the upper-layer protocol after any IPv6 extension headers, ports for
 * TCP/UDP/SCTP/UDP-Lite, type and code for ICMP/ICMPv6, the TCP flag byte, the conntrack state
 * and the interface names as big-endian numbers. Everything is read with skb_header_pointer, so
 * non-linear skbs are fine. A fragment other than the first has no transport header: its key
 * carries the protocol and zero ports/type/code/flags, which only rules that do not look at
 * ports can match. A packet whose headers are truncated or invalid is counted as malformed and
 * dropped, never classified from garbage.
 *
 * Example: an IPv6 UDP datagram to port 53 behind a destination-options header: ipv6_find_hdr
 * walks to the UDP header at offset 48; key proto 17, dport 53.
 *
 * When no table is loaded, or filtering is disabled, the failure mode decides (fail-open by
 * default: accept). A table without a chain for a hook leaves that hook's packets alone.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <asm/unaligned.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "flowlog.h"
#include "rampart.h"

enum { ST_NEW = 0, ST_ESTABLISHED = 1, ST_RELATED = 2, ST_INVALID = 3 };

u32 rampart_ct_state(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	/* No conntrack entry (or untracked): the language has no separate state for it. */
	if (!ct)
		return ST_INVALID;
	switch (ctinfo) {
	case IP_CT_NEW:
		return ST_NEW;
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		return ST_ESTABLISHED;
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		return ST_RELATED;
	default:
		return ST_INVALID;
	}
}

static void put_ifname(const char *ifname, u64 *hi, u64 *lo)
{
	u8 name[16] = { 0 };

	if (ifname)
		memcpy(name, ifname, strnlen(ifname, 15));
	*hi = get_unaligned_be64(name);
	*lo = get_unaligned_be64(name + 8);
}

/* Transport fields at thoff; -EBADMSG when the header the protocol promises is cut short. */
static int transport(const struct sk_buff *skb, unsigned int thoff, u8 proto,
		     struct rampart_key *key)
{
	u8 buf[14];
	const u8 *h;

	switch (proto) {
	case IPPROTO_TCP:
		h = skb_header_pointer(skb, thoff, 14, buf);
		if (!h)
			return -EBADMSG;
		key->w[RAMPART_W_TCP_FLAGS] = h[13];
		fallthrough;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		h = skb_header_pointer(skb, thoff, 4, buf);
		if (!h)
			return -EBADMSG;
		key->w[RAMPART_W_SPORT] = get_unaligned_be16(h);
		key->w[RAMPART_W_DPORT] = get_unaligned_be16(h + 2);
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		h = skb_header_pointer(skb, thoff, 2, buf);
		if (!h)
			return -EBADMSG;
		key->w[RAMPART_W_ICMP_TYPE] = h[0];
		key->w[RAMPART_W_ICMP_CODE] = h[1];
		return 0;
	default:
		return 0;
	}
}

static int extract4(struct sk_buff *skb, struct rampart_key *key)
{
	unsigned int off = skb_network_offset(skb), ihl;
	struct iphdr buf;
	const struct iphdr *iph = skb_header_pointer(skb, off, sizeof(buf), &buf);

	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EBADMSG;
	ihl = iph->ihl * 4;
	if (ntohs(iph->tot_len) < ihl || skb->len - off < ihl)
		return -EBADMSG;
	key->w[RAMPART_W_SRC_LO] = 0xffff00000000ull | ntohl(iph->saddr);
	key->w[RAMPART_W_DST_LO] = 0xffff00000000ull | ntohl(iph->daddr);
	key->w[RAMPART_W_PROTO] = iph->protocol;
	if (ntohs(iph->frag_off) & IP_OFFSET)
		return 0;
	return transport(skb, off + ihl, iph->protocol, key);
}

static int extract6(struct sk_buff *skb, struct rampart_key *key)
{
	unsigned int off = skb_network_offset(skb), thoff = 0;
	unsigned short fragoff = 0;
	int flags = 0, proto;
	struct ipv6hdr buf;
	const struct ipv6hdr *ip6 = skb_header_pointer(skb, off, sizeof(buf), &buf);

	if (!ip6 || ip6->version != 6)
		return -EBADMSG;
	key->w[RAMPART_W_SRC_HI] = get_unaligned_be64(&ip6->saddr.s6_addr[0]);
	key->w[RAMPART_W_SRC_LO] = get_unaligned_be64(&ip6->saddr.s6_addr[8]);
	key->w[RAMPART_W_DST_HI] = get_unaligned_be64(&ip6->daddr.s6_addr[0]);
	key->w[RAMPART_W_DST_LO] = get_unaligned_be64(&ip6->daddr.s6_addr[8]);
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, &flags);
	if (proto < 0)
		return -EBADMSG;
	key->w[RAMPART_W_PROTO] = proto;
	if (fragoff)
		return 0;
	return transport(skb, thoff, proto, key);
}

int rampart_extract(struct sk_buff *skb, u8 pf, u32 hook, const char *in, const char *out,
		    u32 state, struct rampart_key *key)
{
	memset(key, 0, sizeof(*key));
	key->w[RAMPART_W_STATE] = state;
	/* The input hook has no output interface and the output hook no input one. */
	put_ifname(hook == RAMPART_HOOK_OUTPUT ? NULL : in, &key->w[RAMPART_W_IIF_HI],
		   &key->w[RAMPART_W_IIF_LO]);
	put_ifname(hook == RAMPART_HOOK_INPUT ? NULL : out, &key->w[RAMPART_W_OIF_HI],
		   &key->w[RAMPART_W_OIF_LO]);
	return pf == NFPROTO_IPV4 ? extract4(skb, key) : extract6(skb, key);
}

static unsigned int failure_verdict(void)
{
	return READ_ONCE(rampart_fail_closed) ? NF_DROP : NF_ACCEPT;
}

static const int nf_hooknum[3] = { NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT };

static void reject(struct sk_buff *skb, const struct nf_hook_state *st, u32 hook, u32 kind,
		   u8 proto)
{
	int h = nf_hooknum[hook];

	/* auto: a TCP reset for TCP, otherwise port unreachable (nftables' default). */
	if (kind <= 1 && proto == IPPROTO_TCP) {
		if (st->pf == NFPROTO_IPV4)
			nf_send_reset(st->net, st->sk, skb, h);
		else
			nf_send_reset6(st->net, st->sk, skb, h);
		return;
	}
	if (st->pf == NFPROTO_IPV4)
		nf_send_unreach(skb, kind == 3 ? ICMP_HOST_UNREACH :
				kind == 4 ? ICMP_PKT_FILTERED : ICMP_PORT_UNREACH, h);
	else
		nf_send_unreach6(st->net, skb, kind == 3 ? ICMPV6_ADDR_UNREACH :
				 kind == 4 ? ICMPV6_ADM_PROHIBITED : ICMPV6_PORT_UNREACH, h);
}

static unsigned int rampart_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *st)
{
	struct rampart_net *rn = rampart_pernet(st->net);
	u32 hook = (unsigned long)priv;
	const struct rampart_ktable *kt;
	struct rampart_result res;
	struct rampart_key key;

	if (!READ_ONCE(rampart_enabled))
		return failure_verdict();
	kt = rcu_dereference(rn->active);
	if (!kt)
		return failure_verdict();
	if (rampart_extract(skb, st->pf, hook, st->in ? st->in->name : NULL,
			    st->out ? st->out->name : NULL, rampart_ct_state(skb), &key)) {
		atomic64_inc(&rn->malformed);
		atomic64_inc(&rampart_stat_malformed);
		return NF_DROP;
	}
	if (rampart_ktable_classify(kt, hook, &key, &res) < 0)
		return NF_ACCEPT;
	rampart_count(kt, res.rule_index == RAMPART_NO_RULE ?
		      kt->t.count[RAMPART_SEC_RULES] + hook : res.rule_index, skb->len);
	rampart_flowlog_packet(rn, kt, hook, st->pf, &key, &res, skb->len);
	switch (res.verdict) {
	case RAMPART_ACCEPT:
		return NF_ACCEPT;
	case RAMPART_REJECT:
		reject(skb, st, hook, res.reject_kind, key.w[RAMPART_W_PROTO]);
		return NF_DROP;
	default:
		return NF_DROP;
	}
}

#define OPS(family, nfhook, rhook) {					\
	.hook = rampart_hook, .pf = family, .hooknum = nfhook,		\
	.priority = NF_IP_PRI_FILTER, .priv = (void *)(rhook),		\
}

static const struct nf_hook_ops rampart_ops[] = {
	OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN, RAMPART_HOOK_INPUT),
	OPS(NFPROTO_IPV4, NF_INET_FORWARD, RAMPART_HOOK_FORWARD),
	OPS(NFPROTO_IPV4, NF_INET_LOCAL_OUT, RAMPART_HOOK_OUTPUT),
	OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN, RAMPART_HOOK_INPUT),
	OPS(NFPROTO_IPV6, NF_INET_FORWARD, RAMPART_HOOK_FORWARD),
	OPS(NFPROTO_IPV6, NF_INET_LOCAL_OUT, RAMPART_HOOK_OUTPUT),
};

int rampart_hooks_net_init(struct rampart_net *rn)
{
	int ret = nf_defrag_ipv4_enable(rn->net);

	if (ret < 0)
		return ret;
	ret = nf_defrag_ipv6_enable(rn->net);
	if (ret < 0)
		goto err_v6;
	ret = nf_register_net_hooks(rn->net, rampart_ops, ARRAY_SIZE(rampart_ops));
	if (ret < 0)
		goto err_hooks;
	rn->hooks_on = true;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(rn->net);
err_v6:
	nf_defrag_ipv4_disable(rn->net);
	return ret;
}

void rampart_hooks_net_exit(struct rampart_net *rn)
{
	if (rn->hooks_on) {
		nf_unregister_net_hooks(rn->net, rampart_ops, ARRAY_SIZE(rampart_ops));
		nf_defrag_ipv6_disable(rn->net);
		nf_defrag_ipv4_disable(rn->net);
		rn->hooks_on = false;
	}
	/* No hook writes the flow log any more: stop its export and free it. */
	rampart_flowlog_net_exit(rn);
}

/*
 * Takes or drops this namespace's conntrack reference. Conntrack registers its hooks in a
 * namespace only while someone holds it; both calls may sleep (they take conntrack's and
 * netfilter's mutexes), so this runs in process context only: a netlink command or namespace
 * exit, never the packet path or a timer.
 */
int rampart_ct_hold(struct rampart_net *rn, bool want)
{
	int ret;

	lockdep_assert_held(&rn->lock);
	might_sleep();
	if (want == rn->ct_on)
		return 0;
	if (want) {
		ret = nf_ct_netns_get(rn->net, NFPROTO_INET);
		if (ret < 0)
			return ret;
		atomic_inc(&rampart_ct_netns);
	} else {
		nf_ct_netns_put(rn->net, NFPROTO_INET);
		atomic_dec(&rampart_ct_netns);
	}
	rn->ct_on = want;
	return 0;
}
