#!/usr/bin/env bash
# C-FFS's host tests: tests/Fs (xunit on the real .NET 10: the guest's file-system code on XN's core,
# on in-memory disks, through tools/FsImage's host seam), then tools/fsimage make/list/extract/check
# on a host tree ("PASS fs/FsImage.RoundTrip"). Prints "PASS fs/<Class>.<Method>" or "FAIL ..." per
# test, then "fs: N passed, M failed". Usage: tools/fs-tests.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
if tools/fsimage-roundtrip.sh "$work" >"$work/roundtrip.log" 2>&1; then
    echo "PASS fs/FsImage.RoundTrip"; passed=1
else
    sed 's/^/| /' "$work/roundtrip.log" >&2
    echo "FAIL fs/FsImage.RoundTrip"; failed=1
fi

exec tools/xunit-lines.sh fs tests/Fs/FsTests.csproj "$passed" "$failed"
