#!/usr/bin/env bash
# busybox's own test suite (testsuite/runtest, testing.sh, *.tests and the old-style applet
# directories of Debian's busybox source package, at the version of the busybox-static binary
# tools/busybox.sh pins, with Debian's static flavour's config as runtest's .config) run by that
# binary's sh on ExoSharp (under the Linux library OS, from a C-FFS disk) and on the Linux peer
# (tools/peer.sh's kernel, the same tree as its initramfs, /proc and devtmpfs mounted), both QEMUs
# side by side. Every test Linux passes must pass on ExoSharp or be listed, with its reason, in
# tests/Linux/busybox-differences.txt. Prints a line per applet's tests, then
# "busybox-suite: N passed, M failed" (N, M: applets). The source package is fetched once
# (apt-get source through a private sources list with a deb-src line for the mirror apt has the
# binary from; out/bbsuite/source, never committed); nothing is fetched once it is there.
# Usage: tools/busybox-suite.sh test          the pinned applets below (make test)
#        tools/busybox-suite.sh soak          every other applet (make soak)
#        tools/busybox-suite.sh run APPLET... those applets (BBSUITE_VERBOSE=1: runtest -v, every
#                                             failure's output; BBSUITE_NAME: out/bbsuite/NAME, default run)
#        tools/busybox-suite.sh source        fetches and unpacks the source; prints its directory
set -uo pipefail
cd "$(dirname "$0")/.."
dir=out/bbsuite
differences=tests/Linux/busybox-differences.txt
# make test's applets (each a testsuite/APPLET.tests, an old-style testsuite/APPLET/, or both):
# the ones that fit about two minutes of both QEMUs; make soak runs the rest.
pinned="basename cat cmp cut dirname echo expr false head ls mkdir pwd rm rmdir sed sort tail tee touch tr true uniq wc xargs"

# The unpacked source package: out/bbsuite/source/src (made whole, then renamed).
fetch_source() {
    local src=$dir/source/src
    [ -f "$src/.complete" ] && { echo "$src"; return 0; }
    local binary_version version apt line uri suite
    binary_version=$(tools/busybox.sh --version) || return 1
    version=${binary_version%+b[0-9]*}         # a binNMU's +bN is the binary's alone
    apt=$dir/source/apt
    rm -rf "$dir/source"; mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$dir/source/download"
    command -v dpkg-source >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null 2>&1; } ||
        { echo "busybox-suite: needs dpkg-source: apt-get install dpkg-dev" >&2; return 1; }
    # The mirror and suite apt has the pinned binary from (tools/busybox.sh's package).
    line=$(apt-cache madison busybox-static 2>/dev/null | awk -F' [|] ' -v v="$binary_version" '$2 == v { print $3; exit }')
    [ -z "$line" ] && { apt-get update -q >/dev/null 2>&1;
        line=$(apt-cache madison busybox-static 2>/dev/null | awk -F' [|] ' -v v="$binary_version" '$2 == v { print $3; exit }'); }
    uri=${line%% *}; suite=${line#* }; suite=${suite%% *}      # "URI SUITE/COMPONENT ARCH Packages"
    if [ -z "$line" ] || [ "$suite" = "$line" ]; then
        echo "busybox-suite: apt knows no mirror for busybox-static=$binary_version" >&2; return 1
    fi
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    echo "deb-src${keyring:+ [signed-by=$keyring]} $uri ${suite%%/*} ${suite#*/}" > "$apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$PWD/$apt/sources.list" -o "Dir::Etc::SourceParts=$PWD/$apt/parts"
                -o "Dir::State::Lists=$PWD/$apt/lists" -o "Dir::Cache=$PWD/$apt/cache")
    if ! apt-get -q "${opts[@]}" update >"$dir/source/apt.log" 2>&1 ||
       ! (cd "$dir/source/download" && apt-get -q "${opts[@]}" source --download-only "busybox=$version") >>"$dir/source/apt.log" 2>&1; then
        echo "busybox-suite: could not fetch the source package; the command was:" >&2
        echo "  apt-get ${opts[*]} source --download-only busybox=$version  (sources.list: $(cat "$apt/sources.list"))" >&2
        tail -5 "$dir/source/apt.log" >&2
        return 1
    fi
    # apt checked the files' hashes against the signed index; the .dsc's own signature needs a
    # keyring of developers' keys this machine does not have.
    dpkg-source -q --no-check -x "$dir/source/download/busybox_${version#*:}.dsc" "$src.part" >>"$dir/source/apt.log" 2>&1 ||
        { echo "busybox-suite: dpkg-source -x failed (see $dir/source/apt.log)" >&2; return 1; }
    [ -d "$src.part/testsuite" ] && [ -f "$src.part/debian/config/pkg/static" ] ||
        { echo "busybox-suite: the source package has no testsuite/ or debian/config/pkg/static" >&2; return 1; }
    echo "busybox=$version" > "$src.part/.complete"
    mv "$src.part" "$src"
    echo "$src"
}

# Every applet the suite has tests for, as runtest names them (mdev.tests needs chroot and
# devices: Debian's build removes it too).
all_applets() {
    (cd "$1/testsuite" && { ls -- *.tests | sed 's/\.tests$//'; find . -mindepth 1 -maxdepth 1 -type d | sed 's,^\./,,'; }) |
        sort -u | grep -vx mdev
}

# The tree both sides run: the busybox binary with a link per applet in /bin, /etc's passwd and
# group, /tmp, /root, and /bb: the binary again (runtest's bindir), Debian's static config as
# /bb/.config, the suite in /bb/testsuite, /bb/run-suite, the driver, and /bb/applets, the applets
# it runs (a file: a boot module's command line is too short for the list). $1: source, $2: tree,
# the rest: applets.
make_tree() {
    local src=$1 root=$2 busybox applet
    shift 2
    busybox=$(tools/busybox.sh) || return 1
    rm -rf "$root"; mkdir -p "$root"/{bin,etc,tmp,root,home,dev,proc,bb}
    cp "$busybox" "$root/bin/busybox"; cp "$busybox" "$root/bb/busybox"
    for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
    chmod 1777 "$root/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\n' > "$root/etc/group"
    # debian/rules: the os part (empty on Linux), then the flavour's config.
    cat "$src/debian/config/os/linux" "$src/debian/config/pkg/static" > "$root/bb/.config"
    cp -r "$src/testsuite" "$root/bb/testsuite"
    # Debian's TESTSUITE_ENV (debian/rules). One runtest for every applet (its setup, a link per
    # applet, costs seconds on ExoSharp): a marker "test" of this script's own between applets
    # (runtest runs any all_*.tests) prints the line that tells whose results follow.
    cat > "$root/bb/run-suite" <<'DRIVER'
#!/bin/sh
export PATH=/bin HOME=/root SKIP_KNOWN_BUGS=y SKIP_INTERNET_TESTS=y ECHO=/bin/echo SHELL=/bin/sh LANG=C.UTF-8 LC_ALL=C.UTF-8
cd /bb/testsuite || exit 1
echo "bbsuite: start at $(date +%s)"
set -- $(cat /bb/applets)
for a in "$@"; do set -- "$@" all_bbsuite_next "$a"; shift; done
verbose=; [ -f /bb/verbose ] && verbose=-v
./runtest $verbose "$@" all_bbsuite_next 2>&1
echo "bbsuite: done, runtest's status $?"
DRIVER
    printf '#!/bin/sh\n# tools/busybox-suite.sh: the marker between two applets (not part of busybox'"'"'s suite).\necho "bbsuite: next at $(date +%%s)"\n' \
        > "$root/bb/testsuite/all_bbsuite_next.tests"
    chmod 0755 "$root/bb/testsuite/all_bbsuite_next.tests"
    echo "$*" > "$root/bb/applets"
    [ -n "${BBSUITE_VERBOSE:-}" ] && touch "$root/bb/verbose"
    chmod 0755 "$root/bb/run-suite"
}

# Both sides, side by side. $1: run name, $2: timeout (s), the rest: applets.
run_both() {
    local name=$1 limit=$2; shift 2
    local src work vmlinuz
    src=$(fetch_source) || return 1
    work=$dir/$name
    rm -rf "$work"; mkdir -p "$work"
    make_tree "$src" "$work/root" "$@" || return 1
    vmlinuz=$(tools/peer.sh kernel) || return 1
    [ -f out/apps.elf ] && [ -f out/kernel.elf ] || make -s all >&2 || return 1
    tools/fsimage make "$work/exosharp.img" "$work/root" 64 > "$work/fsimage.log" 2>&1 ||
        { echo "busybox-suite: tools/fsimage make failed:" >&2; tail -5 "$work/fsimage.log" >&2; return 1; }
    cp -a "$work/root" "$work/peer-root"
    { echo '#!/bin/busybox sh'
      echo '/bin/busybox mount -t proc proc /proc'
      echo '/bin/busybox mount -t devtmpfs dev /dev'
      echo "/bin/sh /bb/run-suite"
      echo '/bin/busybox poweroff -f'; } > "$work/peer-root/init"
    chmod 0755 "$work/peer-root/init"
    tools/peer.sh initrd "$work/peer-root" "$work/peer.cpio" || return 1
    local start=$SECONDS
    ( timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512M -display none -monitor none -no-reboot \
        -serial stdio -kernel "$vmlinuz" -initrd "$work/peer.cpio" -append "console=ttyS0 quiet panic=-1" </dev/null |
        tr -d '\r' > "$work/linux.log"; echo "$((SECONDS - start))" > "$work/linux.secs" ) &
    local peer=$!
    tools/run.sh --timeout "$limit" --disk "$work/exosharp.img" "linux /bin/sh /bb/run-suite" 2>&1 | tr -d '\r' > "$work/exosharp.log"
    echo "$((SECONDS - start))" > "$work/exosharp.secs"
    wait "$peer"
    compare "$work" "$@"
}

# Results of a log as "applet<TAB>test<TAB>PASS|FAIL|SKIPPED|UNTESTED" (a name seen twice in one
# applet gets " #2"), and "applet<TAB>-<TAB>RAN" once its tests ended; the k-th marker line starts
# the k-th applet of $2.., the last one ends them.
results() {
    local log=$1; shift
    awk -v list="$*" '
        BEGIN { n = split(list, applets, " "); k = 0 }
        /^bbsuite: next at / { if (applet != "") print applet "\t-\tRAN"; k++; applet = k <= n ? applets[k] : ""; next }
        applet != "" && match($0, /^(PASS|FAIL|SKIPPED|UNTESTED): /) {
            verdict = substr($0, 1, RLENGTH - 2); name = substr($0, RLENGTH + 1)
            key = applet "\t" name
            if (++seen[key] > 1) name = name " #" seen[key]
            print applet "\t" name "\t" verdict
        }' "$log"
}

# Seconds per applet from the marker lines: "applet seconds ...".
timings() {
    local log=$1; shift
    awk -v list="$*" 'BEGIN { n = split(list, applets, " ") }
        /^bbsuite: next at / { if (k > 0 && k <= n) printf "%s %d  ", applets[k], $4 - t; k++; t = $4 }
        END { print "" }' "$log"
}

# The verdict per applet: every test Linux passes passes on ExoSharp or is listed.
compare() {
    local work=$1; shift
    results "$work/linux.log" "$@" > "$work/linux.results"
    results "$work/exosharp.log" "$@" > "$work/exosharp.results"
    echo "busybox-suite: seconds per applet on Linux: $(timings "$work/linux.log" "$@")" > "$work/timings"
    echo "busybox-suite: seconds per applet on ExoSharp: $(timings "$work/exosharp.log" "$@")" >> "$work/timings"
    grep -v '^#' "$differences" | awk -F' [|] ' 'NF >= 3 { print $1 "\t" $2 "\t" $3 }' > "$work/listed"
    local passed=0 failed=0 applet
    for applet in "$@"; do
        local line
        line=$(awk -F'\t' -v a="$applet" -v linuxf="$work/linux.results" -v exof="$work/exosharp.results" -v listf="$work/listed" '
            BEGIN {
                while ((getline l < listf) > 0) { split(l, f, "\t"); if (f[1] == a) listed[f[2]] = 1 }
                while ((getline l < exof) > 0) { split(l, f, "\t"); if (f[1] == a) exo[f[2]] = f[3] }
                nl = 0
                ran = 0
                while ((getline l < linuxf) > 0) {
                    split(l, f, "\t")
                    if (f[1] != a) continue
                    if (f[3] == "RAN") ran = 1; else { order[nl++] = f[2]; lin[f[2]] = f[3] }
                }
                lp = 0; ep = 0; same = 0; diff = 0; bad = ""; stale = ""
                for (name in exo) if (exo[name] == "PASS") ep++
                for (i = 0; i < nl; i++) {
                    name = order[i]
                    if (lin[name] != "PASS") continue
                    lp++
                    if (exo[name] == "PASS") { same++; if (name in listed) stale = stale " [" name "]" }
                    else if (name in listed) diff++
                    else bad = bad " [" name ": " (name in exo ? exo[name] : "not run") "]"
                }
                if (!ran) { print "FAIL busybox-suite/" a ": Linux did not get to its end"; exit }
                if (bad != "") printf "FAIL busybox-suite/%s: Linux passes %d, ExoSharp %d; unlisted differences:%s\n", a, lp, ep, bad
                else printf "PASS busybox-suite/%s: Linux passes %d, ExoSharp %d, listed differences %d\n", a, lp, ep, diff
                if (stale != "") printf "NOTE busybox-suite/%s: listed but passing now (take off the list):%s\n", a, stale
            }')
        echo "$line"
        case "$line" in PASS*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
    done
    local lp ep
    lp=$(grep -c $'\tPASS$' "$work/linux.results"); ep=$(grep -c $'\tPASS$' "$work/exosharp.results")
    echo "busybox-suite: tests passed: Linux $lp, ExoSharp $ep; $(grep -c $'\tFAIL$' "$work/linux.results") and $(grep -c $'\tFAIL$' "$work/exosharp.results") failed;" \
         "wall time: Linux $(cat "$work/linux.secs" 2>/dev/null)s, ExoSharp $(cat "$work/exosharp.secs" 2>/dev/null)s (both at once)"
    cat "$work/timings"
    grep -q '^bbsuite: done' "$work/linux.log" || echo "busybox-suite: the Linux run did not finish (log: $work/linux.log)"
    grep -q '^bbsuite: done' "$work/exosharp.log" || echo "busybox-suite: the ExoSharp run did not finish (log: $work/exosharp.log)"
    grep -a 'kernel: PANIC' "$work/exosharp.log" && failed=$((failed + 1))
    echo "busybox-suite: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}

case "${1:-}" in
source) fetch_source ;;
test)   run_both test 400 $pinned ;;
soak)
    src=$(fetch_source) || exit 1
    # bc last: its "parsing of numbers" pipes 3.6 million lines through two bc's, minutes on
    # both sides; a time-out there loses no other applet's results.
    rest=$(all_applets "$src" | grep -vxF -f <(tr ' ' '\n' <<<"$pinned") | grep -vx bc; echo bc)
    # shellcheck disable=SC2086
    run_both soak 5400 $rest ;;
run)    shift; [ $# -gt 0 ] || { echo "usage: tools/busybox-suite.sh run APPLET..." >&2; exit 2; }; run_both "${BBSUITE_NAME:-run}" 5400 "$@" ;;
*)      echo "usage: tools/busybox-suite.sh test | soak | run APPLET... | source" >&2; exit 2 ;;
esac
