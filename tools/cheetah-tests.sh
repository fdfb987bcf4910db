#!/usr/bin/env bash
# Cheetah's HTTP/1.1 core on the host (tests/Cheetah: xunit on the real .NET 10 over the same
# sources as src/Apps/Cheetah/Http): the conformance list. One line per test, then
# "cheetah: N passed, M failed" (tools/xunit-lines.sh). Usage: tools/cheetah-tests.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec tools/xunit-lines.sh cheetah tests/Cheetah/CheetahTests.csproj
