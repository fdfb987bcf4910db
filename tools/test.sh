#!/usr/bin/env bash
# make test: host unit tests (tools/unit.sh), the executive's host tests against libpcap
# (tools/executive-tests.sh), XN's host tests (tools/xn-tests.sh), C-FFS's (tools/fs-tests.sh), the
# Linux-ABI library OS's host tests (tools/linux-tests.sh), the network stack's host tests
# (tools/net-tests.sh), Cheetah's HTTP core's host tests (tools/cheetah-tests.sh), boot tests (tools/boottest.sh),
# multi-boot disk and crash tests (tools/disktest.sh), busybox's own test suite on ExoSharp against
# the Linux peer (tools/busybox-suite.sh test: the pinned applets) and tool tests (make debug's gdb session).
# One line per test; the last line is "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/tests
passed=0 failed=0
count() { # summary line "x: N passed, M failed" -> adds to the totals
    local line="$1"
    local p f
    p=$(echo "$line" | sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p')
    f=$(echo "$line" | sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p')
    if [ -z "$p" ]; then failed=$((failed + 1)); return; fi
    passed=$((passed + p)); failed=$((failed + f))
}

tools/unit.sh 2>&1 | tee out/tests/unit.out
count "$(grep -E '^unit: [0-9]+ passed' out/tests/unit.out | tail -1)"

tools/executive-tests.sh 2>&1 | tee out/tests/executive.out
count "$(grep -E '^executive: [0-9]+ passed' out/tests/executive.out | tail -1)"

tools/xn-tests.sh 2>&1 | tee out/tests/xn.out
count "$(grep -E '^xn: [0-9]+ passed' out/tests/xn.out | tail -1)"

tools/fs-tests.sh 2>&1 | tee out/tests/fs.out
count "$(grep -E '^fs: [0-9]+ passed' out/tests/fs.out | tail -1)"

tools/linux-tests.sh 2>&1 | tee out/tests/linux.out
count "$(grep -E '^linux: [0-9]+ passed' out/tests/linux.out | tail -1)"

tools/net-tests.sh 2>&1 | tee out/tests/net.out
count "$(grep -E '^net: [0-9]+ passed' out/tests/net.out | tail -1)"

tools/cheetah-tests.sh 2>&1 | tee out/tests/cheetah.out
count "$(grep -E '^cheetah: [0-9]+ passed' out/tests/cheetah.out | tail -1)"

tools/boottest.sh 2>&1 | tee out/tests/boot.out
count "$(grep -E '^boot: [0-9]+ passed' out/tests/boot.out | tail -1)"

tools/disktest.sh 12 2>&1 | tee out/tests/disk.out
count "$(grep -E '^disk: [0-9]+ passed' out/tests/disk.out | tail -1)"

tools/busybox-suite.sh test 2>&1 | tee out/tests/busybox-suite.out
count "$(grep -E '^busybox-suite: [0-9]+ passed' out/tests/busybox-suite.out | tail -1)"

# make debug: a breakpoint on a C# method is hit and gdb shows a backtrace through it.
printf 'hbreak Kernel_ExoSharp_Kernel_Core_Syscalls__Dispatch\ncontinue\nbt 3\n' > out/tests/debug.gdb
DEBUG_TIMEOUT=60 timeout 90 tools/debug.sh --batch out/tests/debug.gdb hello > out/tests/debug.out 2>&1
if grep -qE 'Breakpoint 1, (.* in )?Kernel_ExoSharp_Kernel_Core_Syscalls__Dispatch' out/tests/debug.out &&
   grep -qE '^#[0-9]+ .* in syscall_entry' out/tests/debug.out; then
    echo "PASS tool/debug"; passed=$((passed + 1))
else
    echo "FAIL tool/debug: no breakpoint hit or no backtrace"; sed 's/^/| /' out/tests/debug.out; failed=$((failed + 1))
fi

# make debug shows C# source: a breakpoint by file and line in the kernel, then in a user
# program, each hit and listed by gdb (the images keep the compiler's DWARF).
kline=$(grep -n 'frame->Rax = (ulong)Dispatch(' src/Kernel/Core/Syscalls.cs | head -1 | cut -d: -f1)
uline=$(grep -n 'WriteLine("hello, world")' src/Apps/Hello.cs | head -1 | cut -d: -f1)
printf 'hbreak Syscalls.cs:%s\ncontinue\nlist %s,%s\ndelete 1\nhbreak Hello.cs:%s\ncontinue\nlist %s,%s\n' \
    "$kline" "$kline" "$kline" "$uline" "$uline" "$uline" > out/tests/debug-source.gdb
DEBUG_TIMEOUT=60 timeout 90 tools/debug.sh --batch out/tests/debug-source.gdb hello > out/tests/debug-source.out 2>&1
if grep -qE "^Breakpoint 1, .* at .*/Syscalls.cs:$kline" out/tests/debug-source.out &&
   grep -qE "^$kline[[:space:]]+frame->Rax = \(ulong\)Dispatch\(" out/tests/debug-source.out &&
   grep -qE "^Breakpoint 2, Apps_ExoSharp_Apps_Hello__Main .* at .*/Hello.cs:$uline" out/tests/debug-source.out &&
   grep -qE "^$uline[[:space:]]+System.Console.WriteLine\(\"hello, world\"\);" out/tests/debug-source.out; then
    echo "PASS tool/debug-source"; passed=$((passed + 1))
else
    echo "FAIL tool/debug-source: no source-line breakpoint hit or no source listed"; sed 's/^/| /' out/tests/debug-source.out; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
