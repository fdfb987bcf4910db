#!/usr/bin/env bash
# The Linux-ABI library OS's host tests: builds src/LibOS/Linux against our own corelib
# ("PASS linux/Build.AgainstCorelib"), fetches Debian's busybox-static (tools/busybox.sh), then
# runs tests/Linux (xunit on the real .NET 10). One line per test, then
# "linux: N passed, M failed". Usage: tools/linux-tests.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
if dotnet build src/LibOS/Linux/Linux.csproj -c Release --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/corelib.log" 2>&1; then
    echo "PASS linux/Build.AgainstCorelib"; passed=$((passed + 1))
else
    grep -E ': error ' "$work/corelib.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 || cat "$work/corelib.log" >&2
    echo "FAIL linux/Build.AgainstCorelib"; failed=$((failed + 1))
fi
if BUSYBOX="$root/$(tools/busybox.sh)"; then
    export BUSYBOX
else
    echo "FAIL linux/busybox: could not fetch busybox-static"; failed=$((failed + 1))
fi
exec tools/xunit-lines.sh linux tests/Linux/LinuxTests.csproj "$passed" "$failed"
