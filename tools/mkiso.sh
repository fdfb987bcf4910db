#!/usr/bin/env bash
# Makes a GRUB-bootable ISO (BIOS, multiboot) of out/kernel.elf with out/apps.elf as a module
# once per program, serial console at 115200.
# usage: tools/mkiso.sh OUTPUT.iso PROGRAMS [KERNEL-CMDLINE]  (PROGRAMS as for tools/run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
output="$1" programs="${2:-hello}" cmdline="${3:-}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp out/kernel.elf out/apps.elf "$root/boot/"
{
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial"
    echo "terminal_output serial"
    echo "set timeout=0"
    echo "menuentry \"ExoSharp\" {"
    echo "    multiboot /boot/kernel.elf $cmdline"
    IFS=',' read -ra list <<< "$programs"
    [ ${#list[@]} -gt 1 ] && list=("init" "${list[@]}")
    for p in "${list[@]}"; do
        p="$(echo "$p" | sed 's/^ *//; s/ *$//')"
        [ -n "$p" ] && echo "    module /boot/apps.elf /boot/apps.elf $p"
    done
    echo "}"
} > "$root/boot/grub/grub.cfg"
grub-mkrescue -o "$output" "$root" >/dev/null 2>&1 || { echo "mkiso: grub-mkrescue failed" >&2; grub-mkrescue -o "$output" "$root"; exit 1; }
echo "mkiso: $output"
