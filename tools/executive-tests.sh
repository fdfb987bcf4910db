#!/usr/bin/env bash
# The executive's tests (host side). First builds src/Executive against our own corelib
# (the kernel's world: "PASS executive/Build.AgainstCorelib"), then the filter-verdicts tool, then
# runs tests/Executive (xunit on the real .NET 10: verifier, text loader, both engines, libpcap
# differential tests, fuzzing, the merged demultiplexer, the tool). Prints one line per test,
# "PASS executive/<Class>.<Method>" or "FAIL ...", then "executive: N passed, M failed"; failure
# messages go to stderr. Needs libpcap-dev 1.10.3-1 and tcpdump 4.99.3-1 (installed here when
# missing and run as root) and gcc; captures come from Debian packages via apt-get download.
# Exit status 0 only when everything passed. Usage: tools/executive-tests.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
project=tests/Executive/ExecutiveTests.csproj
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

prebuilt=0
# The library must compile against the corelib the kernel uses.
if dotnet build src/Executive/Executive.csproj -c Release --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/corelib.log" 2>&1; then
    echo "PASS executive/Build.AgainstCorelib"
    prebuilt=1
else
    grep -E ': error ' "$work/corelib.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 || cat "$work/corelib.log" >&2
    echo "FAIL executive/Build.AgainstCorelib"
fi
corelib_failed=$((1 - prebuilt))

# Pinned packages: install when missing (root), report what is there. The tests check versions.
if ! dpkg-query -W libpcap-dev tcpdump >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -q libpcap-dev=1.10.3-1 tcpdump=4.99.3-1 || { apt-get update -q && apt-get install -y -q libpcap-dev=1.10.3-1 tcpdump=4.99.3-1; }; } >"$work/apt.log" 2>&1 || tail -n 5 "$work/apt.log" >&2
fi
echo "executive: $(dpkg-query -W -f='${Package} ${Version}, ' libpcap-dev tcpdump 2>/dev/null)gcc $(gcc -dumpfullversion 2>/dev/null || echo missing)" >&2

# The tool, so its tests need not build it.
if ! tools/filter-verdicts >/dev/null 2>"$work/tool.log"; then
    grep -q '^usage' "$work/tool.log" || cat "$work/tool.log" >&2
fi

exec tools/xunit-lines.sh executive "$project" "$prebuilt" "$corelib_failed"
