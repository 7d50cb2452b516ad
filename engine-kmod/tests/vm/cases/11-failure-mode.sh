# Failure mode: with no table (or filtering disabled) every hook follows the configured mode:
# fail-open by default (announced in the kernel log at load), fail-closed on request, both through
# sysfs and netlink; a loaded table decides again once filtering is enabled.
topo_up
expect_eq "default is fail-open" "$(cat /sys/kernel/rampart/fail_closed)" 0
expect_eq "load announced fail-open" "$(dmesg | grep -c 'every hook is fail-open')" "$(dmesg | grep -c 'rampart: loaded')"
expect_eq "no table: traffic passes" "$(n cl rtraffic udp 10.0.2.2 5002)" ok
echo 1 >/sys/kernel/rampart/fail_closed
# Every namespace without a table fails closed, the client's own output included.
expect_eq "no table anywhere, fail-closed: client output dropped" "$(n cl rtraffic udp 10.0.2.2 5001 600)" eperm
# ns_a has no input or output chain: those hooks are left alone once it is loaded.
n cl rampartctl load /t/ns_a.bin >/dev/null || bad "load ns_a in cl"
n sv rampartctl load /t/ns_a.bin >/dev/null || bad "load ns_a in sv"
expect_eq "no table in the router, fail-closed: forward dropped" "$(n cl rtraffic udp 10.0.2.2 5003 600)" timeout
n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic"
expect_eq "table loaded: it decides (5001 accepted)" "$(n cl rtraffic udp 10.0.2.2 5001)" ok
rampartctl config enabled=0 || bad "disable"
expect_eq "disabled, fail-closed: dropped (at the client's output)" "$(n cl rtraffic udp 10.0.2.2 5001 600)" eperm
expect_eq "status says disabled" "$(status_of rt enabled)" 0
rampartctl config fail_closed=0 || bad "fail-open via netlink"
expect_eq "disabled, fail-open: 5002 passes" "$(n cl rtraffic udp 10.0.2.2 5002)" ok
echo 1 >/sys/kernel/rampart/enabled
expect_eq "enabled again: 5002 dropped by the table" "$(n cl rtraffic udp 10.0.2.2 5002 600)" timeout
expect_eq "sysfs generation is the initial namespace's (none there)" "$(cat /sys/kernel/rampart/generation)" 0000000000000000
echo 2 >/sys/kernel/rampart/enabled 2>/dev/null && bad "sysfs took 2" || ok "sysfs refuses a non-boolean"
rampartctl config fail_closed=0 enabled=1 || bad "restore defaults"
finish
