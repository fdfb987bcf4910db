#!/usr/bin/env bash
# The network stack's host tests (tests/Net: xunit on the real .NET 10 over the same sources as
# src/LibOS/Net less Ring/): two stacks through a seeded lossy in-memory link, one stack against
# a scripted peer, recorded traces (tools/captures.sh). One line per test, then
# "net: N passed, M failed" (tools/xunit-lines.sh). Usage: tools/net-tests.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec tools/xunit-lines.sh net tests/Net/NetTests.csproj
