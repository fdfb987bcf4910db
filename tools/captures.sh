#!/usr/bin/env bash
# Real packet captures from Debian packages: fetched with `apt-get download` and extracted once
# into a scratch folder (never committed), then listed, one .pcap path per line, sorted. The
# executive's host tests (tests/Executive/Libpcap.cs) and the network boot test replay them.
# This is the one list of those packages and versions.
set -euo pipefail
packages=("golang-github-google-gopacket-dev=1.1.19-3" "python3-dpkt=1.9.8-1")
root="${TMPDIR:-/tmp}"; root="${root%/}/exosharp-executive/captures"
mkdir -p "$root"
for pv in "${packages[@]}"; do
    package="${pv%%=*}" version="${pv#*=}"
    marker="$root/${package}_${version}.extracted"
    [ -f "$marker" ] && continue
    download="$root/download"
    mkdir -p "$download"
    ( cd "$download" && { apt-get download -q "$pv" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get download -q "$pv" >/dev/null; }; } ) ||
        { echo "captures: apt-get download $pv failed" >&2; exit 1; }
    deb="$(ls "$download/${package}_"*.deb | head -1)"
    dpkg-deb -x "$deb" "$root/$package"
    rm -f "$deb"
    echo "$version" >"$marker"
done
find "$root" -name '*.pcap' | LC_ALL=C sort
