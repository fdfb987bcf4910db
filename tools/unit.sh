#!/usr/bin/env bash
# Host unit tests (tests/Unit: xunit on the real .NET 10 runtime), quietly. Prints one line
# per test, "PASS unit/<Class>.<Method>" or "FAIL unit/<Class>.<Method>" (sorted), then
# "unit: N passed, M failed"; failure messages go to stderr. If the project does not build,
# prints the compiler errors and "FAIL unit/build"; if the test run itself breaks (say the
# test host crashes), "FAIL unit/run". Exit status 0 only when everything passed.
# Usage: tools/unit.sh (or make unit).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
project=tests/Unit/Unit.csproj
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

summary() {
    echo "unit: $1 passed, $2 failed"
    [ "$2" -eq 0 ]
}

if ! dotnet build "$project" --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/build.log" 2>&1; then
    # Each error is printed once (MSBuild repeats them in its summary).
    grep -E ': error ' "$work/build.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 ||
        cat "$work/build.log" >&2
    echo "FAIL unit/build"
    summary 0 1 || exit 1
fi

rc=0
dotnet test "$project" --no-build --nologo -v quiet \
    --logger "trx;LogFileName=unit.trx" --results-directory "$work" >"$work/test.log" 2>&1 || rc=$?

trx="$work/unit.trx"
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
        if (failing) print "--- FAIL unit/" name " (" outcome ")" > details
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

sort -t $'\t' -k2 "$work/results" | awk -F '\t' '{ print $1 " unit/" $2 }' | grep -v '^SKIP ' || true
grep '^SKIP' "$work/results" | awk -F '\t' '{ print "unit: skipped " $2 }' >&2 || true
passed=$(grep -c '^PASS' "$work/results" || true)
failed=$(grep -c '^FAIL' "$work/results" || true)
if [ -s "$work/details" ]; then cat "$work/details" >&2; fi

# A run that failed without a failing test (no results, a crashed test host): say so.
if [ "$failed" -eq 0 ] && { [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; }; then
    echo "unit: dotnet test exited with status $rc; its output:" >&2
    tail -n 40 "$work/test.log" >&2
    echo "FAIL unit/run"
    failed=$((failed + 1))
fi
summary "$passed" "$failed"
