# Conntrack state: the client opens connections through the router, the server cannot; replies
# of established connections come back.
topo_up
n rt rampartctl load /t/state.bin >/dev/null || bad "load state"
for a in 10.0.2.2 fd00:2::2; do
	expect_eq "client -> server tcp $a" "$(n cl rtraffic tcp $a 6001)" ok
	expect_eq "client -> server udp $a" "$(n cl rtraffic udp $a 5001)" ok
done
for a in 10.0.1.2 fd00:1::2; do
	expect_eq "server -> client tcp $a (new, refused by policy)" "$(n sv rtraffic tcp $a 8000 800)" timeout
	expect_eq "server -> client udp $a" "$(n sv rtraffic udp $a 8000 800)" timeout
done
expect_ge "replies counted" "$(packets rt $(rid state replies))" 6
expect_ge "new from client counted" "$(packets rt $(rid state from-client))" 4
expect_ge "policy drops counted" "$(policy_packets rt forward)" 4
finish
