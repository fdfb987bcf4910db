#!/usr/bin/env bash
# The Linux peer, one script for every comparison: the stock Debian kernel (package
# linux-image-6.1.0-50-cloud-amd64 6.1.176-1, fetched with apt-get download into out/peer, never
# committed) and initramfs images for it. The kernel has virtio_pci, virtio_net and virtio_blk as
# modules only and dpkg -x writes no modules.dep, so an image carries the modules in load order
# and a script that loads them (busybox insmod).
# Usage: tools/peer.sh kernel             prints the vmlinuz path (fetches it once)
#        tools/peer.sh version            prints the package's name and version
#        tools/peer.sh initrd DIR OUT     packs DIR (its /init is the peer's program) into the
#                                         cpio archive OUT, adding /bin/busybox (Debian's
#                                         busybox-static), /modules/*.ko and /modules/load, a
#                                         busybox sh script an init runs before using a card or disk
set -euo pipefail
cd "$(dirname "$0")/.."
peer=out/peer
kernel_package=linux-image-6.1.0-50-cloud-amd64
kernel_version=6.1.176-1
release=6.1.0-50-cloud-amd64
vmlinuz=$peer/root/boot/vmlinuz-$release
# Load order: each module after the ones it needs.
modules="drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko drivers/virtio/virtio_pci_legacy_dev.ko
drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci.ko net/core/failover.ko
drivers/net/net_failover.ko drivers/net/virtio_net.ko drivers/block/virtio_blk.ko"

# Tests run side by side may ask at once: one fetches under a lock, into a temporary tree renamed
# whole when complete, so no one sees a kernel without its modules.
fetch_kernel() {
    [ -f "$peer/root/.complete" ] && return
    mkdir -p "$peer"
    exec 9>"$peer/.lock"
    flock 9
    [ -f "$peer/root/.complete" ] && { flock -u 9; return; }
    command -v cpio >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends cpio >/dev/null; } ||
        { echo "peer: needs cpio: apt-get install cpio" >&2; exit 1; }
    [ -f "$peer/${kernel_package}_${kernel_version}_amd64.deb" ] ||
    (cd "$peer" && { apt-get download "$kernel_package=$kernel_version" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get download "$kernel_package=$kernel_version" >/dev/null 2>&1; }; }) ||
        { echo "peer: cannot download $kernel_package=$kernel_version" >&2; exit 1; }
    rm -rf "$peer/root.part" "$peer/root"
    dpkg -x "$peer/${kernel_package}_${kernel_version}_amd64.deb" "$peer/root.part"
    touch "$peer/root.part/.complete"
    mv "$peer/root.part" "$peer/root"
    flock -u 9
}

case "${1:-}" in
version)
    echo "$kernel_package $kernel_version" ;;
kernel)
    fetch_kernel
    echo "$vmlinuz" ;;
initrd)
    [ $# = 3 ] && [ -d "$2" ] || { echo "usage: tools/peer.sh initrd DIR OUT.cpio" >&2; exit 2; }
    fetch_kernel
    dir=$2 out=$3
    busybox=$(tools/busybox.sh)
    mkdir -p "$dir/bin" "$dir/modules" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp"
    cp "$busybox" "$dir/bin/busybox"
    { echo "#!/bin/busybox sh"
      echo "# Loads the virtio modules of the peer's kernel in order (tools/peer.sh)."
      for m in $modules; do
          cp "$peer/root/lib/modules/$release/kernel/$m" "$dir/modules/"
          echo "/bin/busybox insmod /modules/$(basename "$m") || exit 1"
      done; } > "$dir/modules/load"
    chmod +x "$dir/modules/load"
    (cd "$dir" && find . | cpio -o -H newc --quiet) > "$out" ;;
*)
    echo "usage: tools/peer.sh kernel | version | initrd DIR OUT.cpio" >&2; exit 2 ;;
esac
