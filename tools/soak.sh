#!/usr/bin/env bash
# make soak: the system-call fuzzer (src/Apps/Hostile/Fuzz.cs) for at least SOAK_CALLS calls made
# (default 1,000,000), boot after boot with a new seed each time (SOAK_SEED, default 1000, then
# +100), alternating the fast paths on and off, always with the kernel's self-check after every
# batch (selfcheck=on: every mapped frame held, counts equal to the capabilities and kernel
# holds, no free frame mapped, reverse maps exact). A boot fails on a panic, a hang (no end
# line within its timeout), a self-check violation, a leak or too few calls. Prints a line per
# boot, then the network stack's 16 MiB run through the impairment relay, then
# "soak: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
target=${SOAK_CALLS:-1000000}
seed=${SOAK_SEED:-1000}
children=${SOAK_CHILDREN:-100}
calls=${SOAK_CHILD_CALLS:-2000}
mkdir -p out/tests
made=0 boots=0 passed=0 failed=0
while [ "$made" -lt "$target" ]; do
    flags="selfcheck=on"
    [ $((boots % 2)) = 1 ] && flags="$flags fastpath=off"
    log="out/tests/soak-$boots.log"
    tools/run.sh --timeout 900 --append "$flags" "fuzz $seed $children $calls" >"$log" 2>&1
    n=$(grep -a -o 'calls and made [0-9]*' "$log" | grep -o '[0-9]*$' || true)
    n=${n:-0}
    why=""
    grep -aq 'kernel: PANIC' "$log" && why="a kernel panic"
    [ -z "$why" ] && ! grep -aq 'fuzz: the kernel is still standing' "$log" && why="no end line (hang, or the fuzzer failed)"
    [ -z "$why" ] && ! grep -aq 'self-check after .* batches: 0 violations' "$log" && why="self-check violations"
    [ -z "$why" ] && grep -aq '(LEAK)' "$log" && why="a leak"
    [ -z "$why" ] && ! grep -aq 'kernel: all environments have ended' "$log" && why="the machine did not power off"
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "PASS soak/seed-$seed ($flags): $n calls; $(grep -a '^fuzz: children:' "$log" | cut -c7-)"
    else
        failed=$((failed + 1))
        echo "FAIL soak/seed-$seed ($flags): $why (log: $log)"
        grep -a 'kernel: PANIC\|self-check:' "$log" | head -10
    fi
    grep -a '^kernel: longest stretch' "$log" | sed 's/^/    /'
    made=$((made + n))
    boots=$((boots + 1))
    seed=$((seed + 100))
    if [ "$n" = 0 ] && [ "$boots" -ge 3 ] && [ "$passed" = 0 ]; then break; fi     # nothing runs: stop
done
echo "soak: $made calls made over $boots boots"
# The network stack's long form: 16 MiB each way against Linux's TCP through the impairment
# relay (tests/Soak/net-impair-16.test, run by the boot-test harness; about 3 minutes).
tools/boottest.sh --one tests/Soak/net-impair-16.test
result=$(head -1 out/tests/net-impair-16.result 2>/dev/null || echo "FAIL boot/net-impair-16: no result")
echo "$result" | sed 's/boot\//soak\//'
case "$result" in PASS*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)); sed -n '2,$p' out/tests/net-impair-16.result | grep -E 'inet:|relay:|wire:|linux:' | head -20 ;; esac
echo "soak: $passed passed, $failed failed"
[ "$failed" = 0 ]
