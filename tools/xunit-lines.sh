#!/usr/bin/env bash
# Builds and runs one xunit project quietly and prints one line per test,
# "PASS <suite>/<Class>.<Method>" or "FAIL ..." (sorted), then "<suite>: N passed, M failed"
# (adding EXTRA_PASSED / EXTRA_FAILED, the caller's own checks); failure messages go to
# stderr. A build failure prints the compiler errors and "FAIL <suite>/build"; a broken test
# run (a crashed test host) "FAIL <suite>/run". Exit status 0 only when everything passed.
# Usage: tools/xunit-lines.sh SUITE PROJECT [EXTRA_PASSED [EXTRA_FAILED]]
# Callers: tools/unit.sh, tools/executive-tests.sh, tools/xn-tests.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
suite="$1" project="$2"
extra_passed="${3:-0}" extra_failed="${4:-0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

summary() {
    echo "$suite: $(($1 + extra_passed)) passed, $(($2 + extra_failed)) failed"
    [ $(($2 + extra_failed)) -eq 0 ]
}

if ! dotnet build "$project" --nologo -v quiet -tl:off -clp:ErrorsOnly >"$work/build.log" 2>&1; then
    # Each error is printed once (MSBuild repeats them in its summary).
    grep -E ': error ' "$work/build.log" | sed -E 's/ \[[^]]*\.csproj\]$//' | awk '!seen[$0]++' >&2 ||
        cat "$work/build.log" >&2
    echo "FAIL $suite/build"
    summary 0 1 || exit 1
fi

rc=0
dotnet test "$project" --no-build --nologo -v quiet \
    --logger "trx;LogFileName=$suite.trx" --results-directory "$work" >"$work/test.log" 2>&1 || rc=$?

trx="$work/$suite.trx"
[ -f "$trx" ] || : >"$trx"
# Results: "PASS|FAIL|SKIP<tab>Class.Method" in results; each failure's message and the source
# lines of its stack trace (at most 3) in details.
awk -v suite="$suite" -v results="$work/results" -v details="$work/details" '
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
        if (failing) print "--- FAIL " suite "/" name " (" outcome ")" > details
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

sort -t $'\t' -k2 "$work/results" | awk -F '\t' -v suite="$suite" '{ print $1 " " suite "/" $2 }' | grep -v '^SKIP ' || true
grep '^SKIP' "$work/results" | awk -F '\t' -v suite="$suite" '{ print suite ": skipped " $2 }' >&2 || true
passed=$(grep -c '^PASS' "$work/results" || true)
failed=$(grep -c '^FAIL' "$work/results" || true)
if [ -s "$work/details" ]; then cat "$work/details" >&2; fi

# A run that failed without a failing test (no results, a crashed test host): say so.
if [ "$failed" -eq 0 ] && { [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; }; then
    echo "$suite: dotnet test exited with status $rc; its output:" >&2
    tail -n 40 "$work/test.log" >&2
    echo "FAIL $suite/run"
    failed=$((failed + 1))
fi
summary "$passed" "$failed"
