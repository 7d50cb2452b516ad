# Conformance: 100,000 random keys (biased toward the rules' edges) classified by the kernel's
# test command against a 1,500-rule table with a dynamic set must equal the userspace C core
# (verdict, rule index, rule id) and the Java reference evaluator (verdict, rule id).
$IP netns add conf
n conf rampartctl load /t/conf.bin >/dev/null || bad "load conf"
for a in $(cat /t/confset.txt); do n conf rampartctl set add confset $a || bad "set add $a"; done
n conf rampartctl test-keys /t/conf.keys >/tmp/conf.kernel || bad "test-keys"
keys=$(wc -l </tmp/conf.kernel)
expect_ge "keys classified" "$keys" 100000
expect_eq "keys expected" "$keys" "$(wc -l </t/conf.expect)"
if cmp -s /tmp/conf.kernel /t/conf.core; then
	ok "kernel = userspace C core on $keys keys"
else
	bad "kernel differs from the C core on $(diff /tmp/conf.kernel /t/conf.core | grep -c '^<') keys"
	diff /tmp/conf.kernel /t/conf.core | head -6
fi
cut -d' ' -f1,3 /tmp/conf.kernel >/tmp/conf.kernel2
if cmp -s /tmp/conf.kernel2 /t/conf.expect; then
	ok "kernel = Java reference evaluator on $keys keys"
else
	bad "kernel differs from the reference evaluator on $(diff /tmp/conf.kernel2 /t/conf.expect | grep -c '^<') keys"
fi
expect_ge "keys decided by a rule" "$(awk '$2 != -1' /tmp/conf.kernel | wc -l)" 50000
$IP netns del conf
echo "$FAILS failed checks"
[ "$FAILS" -eq 0 ]
