# Atomic swap under load: a request/answer UDP stream crosses the router while the table is
# replaced 1,000 times between two tables that both accept it by a rule, requests and answers
# (B's policy is drop, so a packet judged by anything but its rule would be lost). Every request
# must get its answer.
topo_up
n rt rampartctl load /t/swap_a.bin >/dev/null || bad "load swap_a"
seq0=$(status_of rt load_seq)
rm -f /tmp/stream.stop
n cl rtraffic stream 10.0.2.2 7000 0 /tmp/stream.stop >/tmp/stream.out &
spid=$!
sleep 1
out=$(n rt swapper /t/swap_a.bin /t/swap_b.bin 1000)
expect_eq "swapper" "$out" "1000 loads, 0 failed, last load_seq $((seq0 + 1000))"
sleep 0.5
touch /tmp/stream.stop
wait $spid
cat /tmp/stream.out
read -r _ sent _ got <<EOT
$(cat /tmp/stream.out)
EOT
expect_ge "stream requests during the swaps" "$sent" 50
expect_eq "stream answers (none lost or misjudged)" "$got" "$sent"
expect_eq "running table after an even number of loads" "$(status_of rt generation)" "$(gen swap_b)"
expect_ge "stream counted by b-stream after the last swap" "$(packets rt $(rid swap_b b-stream))" 1
expect_eq "nothing fell to B's drop policy" "$(policy_packets rt forward)" ""
finish
