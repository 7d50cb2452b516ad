# Confirm deadline: an unconfirmed load reverts by itself (the kernel's timer, no userspace), is
# recorded, and traffic is filtered by the old table again; a confirmed load stays; rollback swaps.
topo_up
n rt rampartctl load /t/basic.bin >/dev/null || bad "load basic"
# The deadline leaves room for the checks below on a slow, loaded TCG guest (at host load 30 a
# 2 s deadline expired before the traffic probe ran); the revert is then awaited, not assumed
# after a sleep, and must not come early.
t_load=$(date +%s)
n rt rampartctl load /t/v6.bin --confirm 20 >/dev/null || bad "load v6 with deadline"
expect_eq "udp 5002 passes under v6" "$(n cl rtraffic udp 10.0.2.2 5002)" ok
expect_eq "pending load runs" "$(status_of rt generation)" "$(gen v6)"
left=$(status_of rt confirm_left_ms)
expect_ge "confirm_left_ms" "$left" 1
n rt rampartctl load /t/state.bin >/dev/null 2>/tmp/busy.err && bad "second load while one waits" ||
	expect_eq "second load while one waits refused" "$(grep -c 'confirm or roll back first' /tmp/busy.err)" 1
i=0
while [ "$(status_of rt generation)" != "$(gen basic)" ] && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
expect_ge "revert not before the deadline (s)" "$(( $(date +%s) - t_load ))" 19
expect_eq "reverted to basic" "$(status_of rt generation)" "$(gen basic)"
expect_eq "reverts" "$(status_of rt reverts)" 1
expect_eq "last_reverted" "$(status_of rt last_reverted)" "$(gen v6)"
expect_eq "udp 5002 dropped again" "$(n cl rtraffic udp 10.0.2.2 5002 600)" timeout
expect_eq "no confirm pending" "$(status_of rt confirm_left_ms)" ""
expect_eq "revert logged by the kernel" "$(klog | grep -c 'not confirmed in time: reverted')" 1

n rt rampartctl load /t/v6.bin --confirm 8 >/dev/null || bad "load v6 again"
n rt rampartctl confirm || bad "confirm"
sleep 9
expect_eq "confirmed load stays" "$(status_of rt generation)" "$(gen v6)"
expect_eq "still one revert" "$(status_of rt reverts)" 1
n rt rampartctl confirm 2>/dev/null && bad "confirm with nothing pending accepted" || ok "confirm with nothing pending refused"
n rt rampartctl rollback || bad "rollback"
expect_eq "rollback to basic" "$(status_of rt generation)" "$(gen basic)"
expect_eq "previous is v6" "$(status_of rt previous)" "$(gen v6)"
finish
