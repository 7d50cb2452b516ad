#!/bin/sh
# The box's /init in the end-to-end test of the agent: what a real box's boot does, in order.
# Modules, the state disk, the last confirmed table restored (rampartd --restore-only) BEFORE the
# network comes up, then the network, rampartd under a restart loop (as a service manager would
# restart it) serving the local socket and the second serial port, and sshd. Prints @@ markers the
# host waits for; powers off when /run/poweroff appears (the host creates it over SSH).
# rampart_ipfix=HOST:PORT on the kernel command line makes rampartd export IPFIX there.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /var/lib/rampart /var/log /run/sshd
chmod 755 /run/sshd
for m in $(cat /mod/order); do
	insmod /mod/$m || echo "@@LOG insmod $m failed"
done
insmod /mod/rampart.ko || echo "@@FAIL insmod rampart.ko"
mount -t ext2 /dev/vda /var/lib/rampart || echo "@@FAIL cannot mount the state disk"

# rampartd-restore: the box must never face the network without its last confirmed table.
rampartd --restore-only --state-dir /var/lib/rampart 2>&1 | sed 's/^/@@LOG /'
echo "@@RESTORED $(rampartctl status | awk '$1 == "generation" { print $2 }')"

ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2
echo "@@NET up"

ipfix=$(sed -n 's/.*rampart_ipfix=\([^ ]*\).*/\1/p' /proc/cmdline)
(
	while [ ! -e /run/poweroff ]; do
		rampartd --backend=kernel --state-dir /var/lib/rampart --tty /dev/ttyS1 --baud 115200 \
			${ipfix:+--ipfix $ipfix} >>/var/log/rampartd.log 2>&1
		echo "@@LOG rampartd exited (status $?)"
		[ -e /run/poweroff ] || sleep 0.3
	done
) &
/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log || echo "@@FAIL sshd did not start"
i=0
while [ ! -S /run/rampart/rampartd.sock ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "@@READY"

while [ ! -e /run/poweroff ]; do sleep 0.2; done
for p in $(pidof rampartd); do kill $p; done
sleep 0.5
sed 's/^/@@AGENT /' /var/log/rampartd.log
umount /var/lib/rampart || echo "@@FAIL cannot unmount the state disk"
rmmod rampart || echo "@@LOG rmmod rampart failed"
echo "@@DMESG-BEGIN"
dmesg
echo "@@DMESG-END"
poweroff -f
