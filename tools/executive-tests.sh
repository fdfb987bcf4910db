#!/usr/bin/env bash
# The executive's tests (issue 4, host side). First builds src/Executive against our own corelib
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

summary() {
    echo "executive: $1 passed, $2 failed"
    [ "$2" -eq 0 ]
}

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

if ! dotnet build "$project" --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/build.log" 2>&1; then
    # Each error is printed once (MSBuild repeats them in its summary).
    grep -E ': error ' "$work/build.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 ||
        cat "$work/build.log" >&2
    echo "FAIL executive/build"
    summary "$prebuilt" $((1 + corelib_failed)) || exit 1
fi

rc=0
dotnet test "$project" --no-build --nologo -v quiet \
    --logger "trx;LogFileName=executive.trx" --results-directory "$work" >"$work/test.log" 2>&1 || rc=$?

trx="$work/executive.trx"
[ -f "$trx" ] || : >"$trx"
# Results: "PASS|FAIL|SKIP<tab>Class.Method" in results; each failure's message and the source
# lines of its stack trace (at most 3) in details.
awk -v results="$work/results" -v details="$work/details" '
    function attr(line, key) {
        if (match(line, key "=\"[^\"]*\"")) return substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3)
        return ""
    }
    function unxml(s) {
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'"'"'", s)
        gsub(/&#x[dD];/, "", s); gsub(/&amp;/, "\\&", s)
        return s
    }
    function short(name,    args, n, parts) {
        args = ""
        if (index(name, "(") > 0) { args = substr(name, index(name, "(")); name = substr(name, 1, index(name, "(") - 1) }
        n = split(name, parts, ".")
        return (n >= 2 ? parts[n - 1] "." parts[n] : name) args
    }
    /<UnitTestResult / {
        name = short(unxml(attr($0, "testName"))); outcome = attr($0, "outcome")
        verdict = outcome == "Passed" ? "PASS" : outcome == "NotExecuted" ? "SKIP" : "FAIL"
        print verdict "\t" name > results
        failing = verdict == "FAIL"; part = ""; traceLines = 0
        if (failing) print "--- FAIL executive/" name " (" outcome ")" > details
    }
    failing && /<Message>/     { part = "message"; sub(/.*<Message>/, "") }
    failing && /<StackTrace>/  { part = "trace"; sub(/.*<StackTrace>/, "") }
    failing && part != "" {
        line = $0; last = sub(/<\/(Message|StackTrace)>.*/, "", line)
        if (part == "trace" && (line !~ /:line [0-9]+/ || traceLines++ >= 3)) line = ""
        if (line != "") print "    " unxml(line) > details
        if (last) part = ""
    }
    /<\/UnitTestResult>/ { failing = 0; part = "" }
' "$trx"
touch "$work/results" "$work/details"

sort -t $'\t' -k2 "$work/results" | awk -F '\t' '{ print $1 " executive/" $2 }' | grep -v '^SKIP ' || true
grep '^SKIP' "$work/results" | awk -F '\t' '{ print "executive: skipped " $2 }' >&2 || true
passed=$(grep -c '^PASS' "$work/results" || true)
failed=$(grep -c '^FAIL' "$work/results" || true)
if [ -s "$work/details" ]; then cat "$work/details" >&2; fi

# A run that failed without a failing test (no results, a crashed test host): say so.
if [ "$failed" -eq 0 ] && { [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; }; then
    echo "executive: dotnet test exited with status $rc; its output:" >&2
    tail -n 40 "$work/test.log" >&2
    echo "FAIL executive/run"
    failed=$((failed + 1))
fi
summary $((passed + prebuilt)) $((failed + corelib_failed))
