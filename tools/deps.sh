#!/usr/bin/env bash
# Checks the Debian packages the build and the tests need; installs the missing ones when
# run as root (apt-get), otherwise prints the exact apt-get line and fails.
# Called by the Makefile before anything is built (stamp: out/.deps).
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need+=(qemu-system-x86)
have nasm || need+=(nasm)
have ld || need+=(binutils)
have grub-mkrescue || need+=(grub-common)
[ -d /usr/lib/grub/i386-pc ] || need+=(grub-pc-bin)
have xorriso || need+=(xorriso)
have mformat || need+=(mtools)
have gdb || need+=(gdb)
have python3 || need+=(python3)             # tools/symbolize.py (every boot's console), tests
have gcc || need+=(gcc libc6-dev)          # the executive's libpcap helper, the bench peer
have cpio || need+=(cpio)                  # the bench peer's initramfs
have wrk || need+=(wrk)                    # make bench's HTTP load (tools/httpbench.sh)
{ have mkfs.ext4 || [ -x /usr/sbin/mkfs.ext4 ] || [ -x /sbin/mkfs.ext4 ]; } || need+=(e2fsprogs)   # the bench peer's ext4 disks
[ -f /usr/include/pcap/pcap.h ] || need+=(libpcap-dev)   # tools/netpeer (the network boot tests)
[ -f /usr/include/x86_64-linux-gnu/asm/unistd_64.h ] || need+=(linux-libc-dev)   # Linux call names (tests/Linux)
have dotnet || { echo "deps: the .NET SDK (global.json pins its version) is not on PATH; install it first" >&2; exit 1; }
[ ${#need[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && $line >/dev/null
else
    echo "deps: missing Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
