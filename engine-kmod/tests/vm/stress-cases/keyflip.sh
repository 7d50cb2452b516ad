# Not a test of Rampart (so not in cases/): for `stress keyflip N`, which tells an emulator or
# kernel livelock from one of the module. With rampart.ko unloaded and nothing else on the input
# hook, an nftables base chain on input is added and deleted 15 times, each time
# switching the kernel's NF_INET_LOCAL_IN static key on and off (x86 code patching of every
# NF_HOOK site of that hook, ip_local_deliver among them), while two request/answer streams
# cross that site. This is what 06-unload's insmod and rmmod do to the kernel, without the module.
FLIPS=15
rmmod rampart || bad "rmmod before the flips"
topo_up
rm -f /tmp/flip.stop
n cl rtraffic stream 10.0.2.2 7000 0 /tmp/flip.stop >/tmp/flip1.out &
s1=$!
n cl rtraffic stream 10.0.2.2 7001 0 /tmp/flip.stop >/tmp/flip2.out &
s2=$!
cat >/tmp/flip.nft <<'EOT'
table inet flip {
	chain in { type filter hook input priority 0; }
}
EOT
i=0
while [ $i -lt "$FLIPS" ]; do
	nft -f /tmp/flip.nft || bad "nft add ($i)"
	nft delete table inet flip || bad "nft delete ($i)"
	i=$((i + 1))
done
touch /tmp/flip.stop
wait $s1 $s2
read -r _ sent1 _ got1 </tmp/flip1.out
read -r _ sent2 _ got2 </tmp/flip2.out
ok "input hook added and deleted $i times; streams answered $got1 of $sent1 and $got2 of $sent2"
expect_ge "stream answers during the flips" "$((got1 + got2))" 20
insmod /mod/rampart.ko || bad "insmod after the flips"
finish
