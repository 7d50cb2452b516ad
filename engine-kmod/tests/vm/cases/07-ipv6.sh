# IPv6 extension headers and fragments, with real traffic and with raw packets given to the
# kernel's test command (the same parser as the hooks): rules see the transport header behind
# extension headers, a non-first fragment has no ports, truncated headers are malformed (and
# real packets with a cut header are counted and dropped).
topo_up
n rt rampartctl load /t/v6.bin >/dev/null || bad "load v6"
expect_eq "udp+dstopts 7777 dropped" "$(n cl rtraffic udp6opt fd00:2::2 7777 600)" timeout
expect_eq "udp+dstopts 7778 passes" "$(n cl rtraffic udp6opt fd00:2::2 7778)" ok
expect_eq "udp 7779 rejected with ICMPv6" "$(n cl rtraffic udp fd00:2::2 7779)" refused
expect_eq "3000-byte udp 7778 (fragmented) passes" "$(n cl rtraffic udpbig fd00:2::2 7778 3000)" ok
expect_eq "3000-byte udp 7777 (fragmented) dropped" "$(n cl rtraffic udpbig fd00:2::2 7777 3000)" timeout
expect_eq "3000-byte IPv4 udp 7777 passes (rule is IPv6 only)" "$(n cl rtraffic udpbig 10.0.2.2 7777 3000)" ok
expect_ge "v6-drop counted" "$(packets rt $(rid v6 v6-drop))" 2
# v6 tests no state, so the router runs without conntrack, but the module keeps defragmentation
# on: the rules saw whole datagrams, never a fragment without ports.
expect_eq "real fragments reassembled before the rules (none seen without ports)" \
	"$(packets rt $(rid v6 v6-no-ports))" 0
m0=$(status_of rt malformed)
expect_eq "cut TCP header over IPv4 sent" "$(n cl rtraffic truncated 10.0.2.2)" sent
expect_eq "cut TCP header over IPv6 sent" "$(n cl rtraffic truncated fd00:2::2)" sent
sleep 0.3
expect_eq "both counted as malformed by the router" "$(status_of rt malformed)" "$((m0 + 2))"

S=fd000001000000000000000000000002
D=fd000002000000000000000000000002
raw() { n rt rampartctl test-raw forward "$1" | tr '\n' ' ' | sed 's/ $//'; }
drop=$(rid v6 v6-drop)
noports=$(rid v6 v6-no-ports)
V4="0a0001020a000202"
UDP7777=04d21e6100100000
PAD=0000000000000000
# First fragment (offset 0, more fragments follow): the UDP header is there.
expect_eq "v6 first fragment" "$(raw 6000000000182c40$S${D}1100000100000001$UDP7777$PAD)" \
	"key proto 17 sport 1234 dport 7777 type 0 code 0 flags 0 state 0 drop rule $drop index 0 reject_kind 0"
# Non-first fragment (offset 185): no transport header, so no ports.
expect_eq "v6 non-first fragment" "$(raw 6000000000102c40$S${D}110005c800000001$PAD)" \
	"key proto 17 sport 0 dport 0 type 0 code 0 flags 0 state 0 accept rule $noports index 1 reject_kind 0"
# Hop-by-hop, then destination options, then UDP.
expect_eq "v6 hop-by-hop + dstopts + udp" "$(raw 6000000000200040$S${D}3c000104000000001100010400000000$UDP7777$PAD)" \
	"key proto 17 sport 1234 dport 7777 type 0 code 0 flags 0 state 0 drop rule $drop index 0 reject_kind 0"
expect_eq "v6 udp header cut short" "$(raw 6000000000021140$S${D}04d2)" malformed
expect_eq "v6 extension header cut short" "$(raw 6000000000040040$S${D}3c000104)" malformed
expect_eq "v4 non-first fragment" "$(raw 4500001c0001006440110000$V4$PAD)" \
	"key proto 17 sport 0 dport 0 type 0 code 0 flags 0 state 0 accept rule $noports index 1 reject_kind 0"
expect_eq "v4 header length 4 words" "$(raw 4400001c0001000040110000$V4$PAD)" malformed
expect_eq "v4 tcp header cut short" "$(raw 450000180001000040060000${V4}04d21e61)" malformed
finish
