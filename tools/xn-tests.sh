#!/usr/bin/env bash
# XN's tests (host side). First builds src/Xn against our own corelib (the kernel's
# world: "PASS xn/Build.AgainstCorelib"), then runs tests/Xn (xunit on the real .NET 10: extents,
# templates, roots, checked operations, hostile UDFs and changes, write ordering, mount, crash
# consistency). Prints one line per test, "PASS xn/<Class>.<Method>" or "FAIL ...", then
# "xn: N passed, M failed"; failure messages go to stderr. Exit status 0 only when all passed.
# Usage: tools/xn-tests.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

prebuilt=0
if dotnet build src/Xn/Xn.csproj -c Release --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/corelib.log" 2>&1; then
    echo "PASS xn/Build.AgainstCorelib"
    prebuilt=1
else
    grep -E ': error ' "$work/corelib.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 || cat "$work/corelib.log" >&2
    echo "FAIL xn/Build.AgainstCorelib"
fi

exec tools/xunit-lines.sh xn tests/Xn/XnTests.csproj "$prebuilt" "$((1 - prebuilt))"
