#!/usr/bin/env bash
# Host unit tests (tests/Unit: xunit on the real .NET 10 runtime): one line per test, then
# "unit: N passed, M failed" (tools/xunit-lines.sh does the work). Usage: tools/unit.sh (or make unit).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec tools/xunit-lines.sh unit tests/Unit/Unit.csproj
