# Unload under traffic, three times: hooks gone, every allocation freed (the module reports its
# outstanding allocations at unload; it must say 0), traffic keeps flowing, and a fresh module
# serves the namespaces that already existed.
topo_up
rm -f /tmp/stream.stop
n cl rtraffic stream 10.0.2.2 7000 0 /tmp/stream.stop >/tmp/stream.out &
spid=$!
for i in 1 2 3; do
	n rt rampartctl load /t/sets.bin >/dev/null || bad "load sets ($i)"
	n rt rampartctl set add blocklist 10.9.9.$i >/dev/null || bad "set add ($i)"
	n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic ($i)"
	expect_ge "allocations held before unload $i" "$(cat /sys/kernel/rampart/allocations)" 5
	rmmod rampart || bad "rmmod $i"
	expect_eq "unload $i reported zero outstanding" \
		"$(klog | grep -c 'rampart: unloaded, 0 allocations outstanding')" "$i"
	[ -d /sys/kernel/rampart ] && bad "sysfs left behind" || ok "sysfs gone after unload $i"
	insmod /mod/rampart.ko || bad "insmod $i"
	expect_eq "fresh module has no table in rt" "$(status_of rt generation)" none
done
n rt rampartctl load /t/basic.bin >/dev/null || bad "load after reload"
expect_eq "filters after reload" "$(n cl rtraffic udp 10.0.2.2 5002 600)" timeout
touch /tmp/stream.stop
wait $spid
cat /tmp/stream.out
read -r _ sent _ got <<EOT
$(cat /tmp/stream.out)
EOT
expect_ge "stream answers while loading and unloading" "$got" 20
expect_eq "no leak reported" "$(klog | grep -c 'rampart: leak')" 0
finish
