#!/usr/bin/env bash
# Debian's busybox-static (a static glibc x86-64 binary), fetched with apt-get download and
# unpacked once into out/linux (never committed): the Linux-ABI library OS's first foreign
# binary. Prints the binary's path. Usage: tools/busybox.sh [--version: prints the pinned version]
set -euo pipefail
cd "$(dirname "$0")/.."
package=busybox-static version=1:1.35.0-4+deb12u1+b1
root=out/linux
binary="$root/busybox-static/bin/busybox"
[ "${1:-}" = --version ] && { echo "$version"; exit 0; }
if [ ! -x "$binary" ]; then
    mkdir -p "$root/download"
    ( cd "$root/download" && { apt-get download -q "$package=$version" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get download -q "$package=$version" >/dev/null 2>&1; }; } ) ||
        { echo "busybox: apt-get download $package=$version failed" >&2; exit 1; }
    dpkg-deb -x "$(ls "$root/download/${package}_"*.deb | head -1)" "$root/busybox-static"
fi
echo "$binary"
