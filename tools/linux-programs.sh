#!/usr/bin/env bash
# The Linux library OS's own test programs (tests/Linux/programs/*.c), built as static glibc
# binaries with gcc -static into out/linux/programs/NAME (never committed), rebuilt when the
# source is newer. Boot tests give them as data modules (file: out/linux/programs/NAME=NAME).
# Usage: tools/linux-programs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/linux/programs
for source in tests/Linux/programs/*.c; do
    name="$(basename "$source" .c)"
    binary="out/linux/programs/$name"
    if [ ! -x "$binary" ] || [ "$source" -nt "$binary" ]; then
        gcc -static -O1 -Wall -Wno-unused-result -o "$binary" "$source" || { echo "linux-programs: gcc failed for $source" >&2; exit 1; }
    fi
done
