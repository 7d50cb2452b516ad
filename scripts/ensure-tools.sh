#!/usr/bin/env bash
# Installs what building and testing Rampart needs on a fresh Debian 12 machine, and nothing when
# it is already there (apt is slow; a second run must cost nothing).
# Usage: scripts/ensure-tools.sh build|test|gui
set -euo pipefail
want=(openjdk-17-jdk-headless:javac maven:mvn)
if [ "${1:-build}" = test ]; then
  # Captures for `rampart trace` tests are made by real tools; the C core needs a compiler.
  want+=(tcpdump:tcpdump tshark:tshark iputils-ping:ping gcc:gcc make:make util-linux:unshare iproute2:ip
         clang:clang socat:socat openssh-server:sshd openssh-client:ssh e2fsprogs:mke2fs nfdump:nfcapd)
  # Headers and libraries have no command to probe for: look for a file they install.
  [ -e /usr/include/zlib.h ] || want+=(zlib1g-dev:/nonexistent)
  compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null ||
    want+=(libclang-rt-14-dev:/nonexistent)
  # The telemetry tests start their own PostgreSQL server from the packaged binaries.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || want+=(postgresql:/nonexistent)
fi
if [ "${1:-build}" = gui ]; then
  # The demo box is rampartd, built from C on first use.
  want+=(gcc:gcc make:make)
  [ -e /usr/include/zlib.h ] || want+=(zlib1g-dev:/nonexistent)
fi
# Shared libraries, as package:soname. JavaFX renders text through Pango and fontconfig even in
# the headless tests, and the JDK's headless package does not pull them in; a real window needs GTK.
libs=()
case "${1:-build}" in
  test) libs+=(libpangoft2-1.0-0:libpangoft2-1.0.so.0) ;;
  gui) libs+=(libpangoft2-1.0-0:libpangoft2-1.0.so.0 libgtk-3-0:libgtk-3.so.0) ;;
esac
missing=()
for pair in "${want[@]}"; do
  pkg=${pair%%:*} cmd=${pair##*:}
  if [[ $cmd == /* ]]; then [ -e "$cmd" ] || missing+=("$pkg"); continue; fi
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
for pair in "${libs[@]}"; do
  pkg=${pair%%:*} so=${pair##*:}
  /sbin/ldconfig -p | grep -qF "$so" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "rampart: missing Debian packages: ${missing[*]}" >&2
  echo "rampart: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "rampart: installing ${missing[*]} (one time)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
