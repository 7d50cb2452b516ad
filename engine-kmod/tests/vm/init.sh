#!/bin/sh
# The initramfs's /init: load the modules, run every case listed in /cases/list in turn (each in
# its own shell, with a time limit), print "@@CASE NAME PASS|FAIL SECONDS", then the kernel log
# between @@DMESG-BEGIN/END, and power off.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /run/netns /var/run
ln -sf /run/netns /var/run/netns
echo 1 >/proc/sys/kernel/printk_ratelimit 2>/dev/null
for m in $(cat /mod/order); do
	insmod /mod/$m || echo "@@LOG insmod $m failed"
done
# Only when run was asked to hold the netfilter hooks (RAMPART_VM_HOLD_HOOKS=1).
if [ -f /hold-hooks.nft ]; then
	nft -f /hold-hooks.nft && echo "@@LOG netfilter hooks held: $(nft list tables)" ||
		echo "@@LOG nft -f /hold-hooks.nft failed"
fi
if ! insmod /mod/rampart.ko; then
	echo "@@LOG insmod rampart.ko failed"
fi
i=0
for c in $(cat /cases/list); do
	i=$((i + 1))
	start=$(date +%s)
	echo "@@LOG --- $c"
	# A bound for a case stuck in userspace, not a speed check: 03-atomic-swap took 251 s with one
	# TCG thread at host load 30.
	limit=480
	[ "$c" = bench ] && limit=900
	# A mark in the kernel log: a case reads the kernel's messages from here on (klog in lib.sh),
	# so it can run again in the same boot.
	mark="rampart-test: case $i $c begins"
	echo "<6>$mark" >/dev/kmsg
	CASE_MARK=$mark timeout $limit sh -c ". /lib.sh; . /cases/$c.sh" >/tmp/case.out 2>&1
	rc=$?
	sed '/^Terminated$/d; s/^/@@LOG   /' /tmp/case.out
	end=$(date +%s)
	if [ $rc -eq 0 ]; then
		echo "@@CASE $c PASS $((end - start))s"
	else
		echo "@@CASE $c FAIL $((end - start))s rc=$rc"
	fi
done
# Unload at the end as well: the allocation count must be zero then.
if grep -q '^rampart ' /proc/modules; then
	rmmod rampart || echo "@@LOG rmmod rampart failed"
fi
echo "@@DMESG-BEGIN"
dmesg
echo "@@DMESG-END"
poweroff -f
