# Accept, drop and reject per rule, IPv4 and IPv6, TCP, UDP and ICMP, on forward, input and
# output: checked by what the peer gets and by the per-rule counters.
topo_up
n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic"
for a in 10.0.2.2 fd00:2::2; do
	expect_eq "udp $a 5001 accept" "$(n cl rtraffic udp $a 5001)" ok
	expect_eq "udp $a 5002 drop" "$(n cl rtraffic udp $a 5002 800)" timeout
	expect_eq "udp $a 5003 reject" "$(n cl rtraffic udp $a 5003)" refused
	expect_eq "udp $a 5004 admin-prohibited" "$(n cl rtraffic udp $a 5004)" unreach
	expect_eq "tcp $a 6001 accept" "$(n cl rtraffic tcp $a 6001)" ok
	expect_eq "tcp $a 6002 drop" "$(n cl rtraffic tcp $a 6002 800)" timeout
	expect_eq "tcp $a 6003 reset" "$(n cl rtraffic tcp $a 6003)" refused
done
n cl ping -c 1 -W 1 10.0.2.2 >/dev/null 2>&1 && bad "ping 10.0.2.2 passed a drop rule" || ok "ping 10.0.2.2 dropped"
n cl ping -c 1 -W 2 fd00:2::2 >/dev/null 2>&1 && ok "ping fd00:2::2 accepted" || bad "ping6 fd00:2::2 failed"
expect_eq "input udp 5101 drop" "$(n cl rtraffic udp 10.0.1.1 5101 800)" timeout
expect_eq "output udp 5201 drop" "$(n rt rtraffic udp 10.0.2.2 5201 800)" eperm

expect_eq "udp-accept packets" "$(packets rt $(rid basic udp-accept))" 2
expect_eq "udp-drop packets" "$(packets rt $(rid basic udp-drop))" 2
expect_eq "udp-reject packets" "$(packets rt $(rid basic udp-reject))" 2
expect_eq "udp-admin packets" "$(packets rt $(rid basic udp-admin))" 2
expect_ge "tcp-accept packets" "$(packets rt $(rid basic tcp-accept))" 6
expect_ge "tcp-drop packets" "$(packets rt $(rid basic tcp-drop))" 2
expect_eq "tcp-reject packets" "$(packets rt $(rid basic tcp-reject))" 2
expect_eq "ping-drop packets" "$(packets rt $(rid basic ping-drop))" 1
expect_eq "in-drop packets" "$(packets rt $(rid basic in-drop))" 1
expect_eq "out-drop packets" "$(packets rt $(rid basic out-drop))" 1
expect_ge "forward policy packets" "$(policy_packets rt forward)" 1
expect_eq "counters carry the generation" \
	"$(n rt rampartctl counters | awk 'NR == 1 { print $1 }')" "$(gen basic)"
expect_eq "status rules (8 forward, 1 input, 1 output)" "$(status_of rt rules)" 10
finish
