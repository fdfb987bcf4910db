#!/usr/bin/env bash
# tools/fsimage's round trip: a host tree (files, an empty file, a sparse file, nested directories,
# a symbolic link, modes) made into an image, checked, listed and extracted again, and compared with
# the original byte for byte (diff -r) and mode for mode. Usage: tools/fsimage-roundtrip.sh WORKDIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"
tree="$work/tree"
mkdir -p "$tree/etc" "$tree/home/user/notes" "$tree/empty"
echo "exosharp" > "$tree/etc/hostname"
: > "$tree/etc/empty-file"
head -c 200000 /dev/urandom > "$tree/home/user/random.bin"
truncate -s 5M "$tree/home/user/sparse.img"; printf 'end' | dd of="$tree/home/user/sparse.img" bs=1 seek=5000000 conv=notrunc 2>/dev/null
for i in $(seq 1 40); do echo "note $i" > "$tree/home/user/notes/n$i"; done
ln -s ../etc/hostname "$tree/home/hostname-link"
chmod 600 "$tree/etc/hostname"; chmod 755 "$tree/home/user/random.bin"
"$root/tools/fsimage" make "$work/disk.img" "$tree" 32
"$root/tools/fsimage" check "$work/disk.img"
"$root/tools/fsimage" list "$work/disk.img" > "$work/list.txt"
grep -q '^l .* /home/hostname-link -> ../etc/hostname$' "$work/list.txt"
grep -q '^- 0600 .* /etc/hostname$' "$work/list.txt"
"$root/tools/fsimage" extract "$work/disk.img" "$work/out"
diff -r "$tree" "$work/out"
[ "$(stat -c %a "$work/out/home/user/random.bin")" = 755 ]
[ "$(readlink "$work/out/home/hostname-link")" = ../etc/hostname ]
echo "round trip: $(wc -l < "$work/list.txt") entries identical"
