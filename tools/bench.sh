#!/usr/bin/env bash
# make bench: ExoSharp's primitives against the peer, a stock Debian Linux kernel (tools/peer.sh)
# running src/Bench/Linux/bench.c as /init, in the same QEMU
# (-accel tcg -cpu max -smp 1 -m 256M): once with -icount shift=0 (time-stamp counter =
# guest instructions, deterministic) and once on the wall clock. Prints
# "BENCH <op> exosharp=<n> linux=<n> ratio=<linux/exosharp>", the same binaries under the Linux
# library OS against the peer (tools/linux-bench.sh: BENCH linux_<op>), then the wall-clock table and
# the packet filters' (beside libpcap's bpf_filter on the host, src/Bench/Host/pcapbench.c),
# the network stack's (tools/netbench.sh: tcp_rr, tcp_crr, tcp_bulk_host against Linux's TCP),
# Cheetah's (tools/httpbench.sh: wrk against Cheetah, nginx and busybox httpd),
# and writes docs/benchmarks.md and docs/benchmarks.svg from the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=out/peer
vmlinuz=$(tools/peer.sh kernel)
read -r kernel_package kernel_version < <(tools/peer.sh version)
mkdir -p out/bench
mkdir -p "$peer/initramfs"
gcc -O2 -static -o "$peer/initramfs/init" src/Bench/Linux/bench.c
(cd "$peer/initramfs" && echo init | cpio -o -H newc --quiet > ../initrd.cpio)

qemu_common=(-accel tcg -cpu max -smp 1 -m 256M -display none -monitor none -no-reboot)
linux() { # $1: extra flags
    # shellcheck disable=SC2086
    timeout 600 qemu-system-x86_64 "${qemu_common[@]}" $1 -serial stdio \
        -kernel "$vmlinuz" -initrd "$peer/initrd.cpio" -append "console=ttyS0 quiet panic=-1" </dev/null |
        tr -d '\r' | grep '^BENCH' || true
}
# The bench build of the kernel (make bench makes it): FilterClassify also takes the
# benchmark-only engine and repeat arguments, which the ABI does not have.
exosharp() { QEMUFLAGS="$1" tools/run.sh --timeout 600 --kernel out/kernel-bench.elf bench | grep '^BENCH' || true; }

# The host's libpcap (bpf_filter) on the same filters and frames: ns per packet, and
# instructions per packet counted by valgrind's callgrind when it is installed.
host=out/bench/host-pcap.txt
if gcc -O2 -o out/bench/pcapbench src/Bench/Host/pcapbench.c -lpcap 2>/dev/null; then
    out/bench/pcapbench time > "$host"
    if command -v valgrind >/dev/null; then
        for n in 1 10 100; do for m in hit miss; do
            valgrind -q --tool=callgrind --callgrind-out-file=out/bench/callgrind.out --collect-atstart=no \
                --toggle-collect=loop out/bench/pcapbench loop "$n" "$m" 2>/dev/null
            ir=$(sed -n 's/^summary: //p' out/bench/callgrind.out)
            echo "BENCH filter_pcap_${n}$([ "$m" = miss ] && echo _miss)_instr median=$(( (ir + 500) / 1000 ))" >> "$host"
        done; done
        rm -f out/bench/callgrind.out
    fi
else
    echo "bench: no libpcap-dev (apt-get install libpcap-dev): the libpcap column stays empty" >&2
    echo "BENCH done" > "$host"
fi

# The .NET side of the C# run-time operations: src/Bench/Managed/Dotnet (the same source as
# ExoSharp's) built by the stock NativeAOT compiler for linux-x64 and run on the peer under
# src/Bench/Linux/exec-init.c with the libc, libm and ld-linux it needs, copied from the host.
dotnet_peer() { # $1: extra QEMU flags
    local root=out/bench/dotnet-root lib
    rm -rf "$root"; mkdir -p "$root/proc"
    gcc -O2 -static -o "$root/init" src/Bench/Linux/exec-init.c
    cp out/bench/ehbench/ehbench "$root/program"
    for lib in $(ldd "$root/program" | grep -oE '/[^ ]+'); do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
    (cd "$root" && find . | cpio -o -H newc --quiet > ../dotnet-initrd.cpio)
    # shellcheck disable=SC2086
    # 512 MiB: .NET's binary-trees at depth 18 peaks near 190 MiB beside the initramfs (gcbench
    # gets the same); the last -m wins.
    timeout 900 qemu-system-x86_64 "${qemu_common[@]}" $1 -m 512M -serial stdio \
        -kernel "$vmlinuz" -initrd out/bench/dotnet-initrd.cpio -append "console=ttyS0 quiet panic=-1" </dev/null |
        tr -d '\r' | grep '^BENCH' || true
}
if dotnet publish src/Bench/Managed/Dotnet/EhBench.csproj -c Release -o out/bench/ehbench --nologo -v quiet -clp:ErrorsOnly >&2; then
    dotnet_peer "-icount shift=0" > out/bench/dotnet-icount.txt
else
    echo "bench: the stock NativeAOT build of src/Bench/Managed/Dotnet failed: its column stays empty" >&2
    rm -f out/bench/dotnet-icount.txt
fi

exosharp "-icount shift=0" > out/bench/exosharp-icount.txt
# The collector benchmarks (src/Apps/Bench/GcBenchmarks.cs; the .NET side is in dotnet-icount.txt).
QEMUFLAGS="-icount shift=0 -m 512M" tools/run.sh --timeout 900 --kernel out/kernel-bench.elf gcbench | grep '^BENCH' > out/bench/exosharp-gc-icount.txt || true
# The hostile suite under -icount shift=0: the longest stretch the kernel ran with interrupts
# off (guest instructions, its power-off line), boot and XN's mount apart (docs/abi.md,
# "Bounded kernel work"; target: at most 200,000).
hostile_suite="refcount, ntflag, filterflood, revokeflood, capfan, mapmany, badcaps, badsyscall, exhaust, fuzz 4242 16 1000, hello"
QEMUFLAGS="-icount shift=0" tools/run.sh --timeout 900 --append selfcheck=on "$hostile_suite" > out/bench/hostile-icount.log 2>&1 || true
irqoff=$(sed -nE 's/^kernel: longest stretch with interrupts off: ([0-9]+) TSC cycles \((.*)\); boot ([0-9]+), of which XN.s mount ([0-9]+)$/\1 \3 \4 \2/p' out/bench/hostile-icount.log | tail -1)
read -r irqoff_max irqoff_boot irqoff_mount irqoff_cause <<< "${irqoff:-- - - unknown}"
linux "-icount shift=0" > out/bench/linux-icount.txt
exosharp "" > out/bench/exosharp-wall.txt
linux "" > out/bench/linux-wall.txt
# The file systems: C-FFS on XN against ext4 (tools/fsbench.sh, which also runs alone); it writes
# out/bench/fs-*.txt and out/bench/fs.table.
tools/fsbench.sh > out/bench/fs-bench.lines
for f in out/bench/*.txt; do grep -q 'BENCH done' "$f" || { echo "bench: the run for $f did not finish:" >&2; cat "$f" >&2; exit 1; }; done
# The network stack against Linux's (tools/netbench.sh, which also runs alone): out/bench/net.bench.
tools/netbench.sh all > out/bench/net.out 2>&1 || { echo "bench: tools/netbench.sh failed:" >&2; cat out/bench/net.out >&2; exit 1; }
# Cheetah against nginx and busybox httpd (tools/httpbench.sh, which also runs alone): out/bench/http.bench.
tools/httpbench.sh all > out/bench/http.out 2>&1 || { echo "bench: tools/httpbench.sh failed:" >&2; cat out/bench/http.out >&2; exit 1; }
# The same Linux binaries under ExoSharp's Linux library OS (tools/linux-bench.sh, which also
# runs alone; it takes bench.c's peer runs above): linux_<operation> lines and a section of
# docs/benchmarks.md (out/bench/linuxabi.md).
tools/linux-bench.sh out/bench/linux-icount.txt out/bench/linux-wall.txt > out/bench/linuxabi.log

ops="null_syscall null_syscall_general upcall_roundtrip trap prot1 unprot1 prot100 unprot100 appel1 appel2 first_touch_fault ipc_roundtrip env_switch"
value() { grep "^BENCH $2 " "$1" | sed -E "s/.* $3=([0-9]+).*/\1/"; }
table() { # $1: exosharp file, $2: linux file -> op, medians, ratio, then min-max of each side
    for op in $ops; do
        e=$(value "$1" "$op" median); l=$(value "$2" "$op" median)
        echo "$op $e $l $(awk -v e="$e" -v l="$l" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }')" \
             "$(value "$1" "$op" min)-$(value "$1" "$op" max) $(value "$2" "$op" min)-$(value "$2" "$op" max)"
    done
}
table out/bench/exosharp-icount.txt out/bench/linux-icount.txt > out/bench/icount.table
rm -f out/bench/managed.table
table out/bench/exosharp-wall.txt out/bench/linux-wall.txt > out/bench/wall.table
while read -r op e l r _; do echo "BENCH $op exosharp=$e linux=$l unit=instructions ratio=$r"; done < out/bench/icount.table
# C# run-time operations (src/Bench/Managed, one source for both sides): the Linux column is
# the same source built by stock NativeAOT for linux-x64 and run on the peer, read from
# out/bench/dotnet-icount.txt when that run exists; "-" until then.
for op in eh_throw_catch_10; do
    e=$(value out/bench/exosharp-icount.txt "$op" median)
    l=$( [ -f out/bench/dotnet-icount.txt ] && value out/bench/dotnet-icount.txt "$op" median || true)
    r=$( [ -n "$l" ] && [ -n "$e" ] && awk -v e="$e" -v l="$l" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }' || echo -)
    echo "BENCH $op exosharp=${e:--} linux=${l:--} unit=instructions ratio=$r"
    echo "$op ${e:--} ${l:--} $r" >> out/bench/managed.table
done
# The collector: time (guest instructions), the longest pause the program saw, peak memory
# (ExoSharp: the frames of its heap at most, plus image and stack; .NET: VmHWM).
gc_value() { [ -f "$1" ] && value "$1" "$2" "$3" || true; }
gc_ratio() { [ -n "$2" ] && [ -n "$1" ] && awk -v e="$1" -v l="$2" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }' || echo -; }
for op in gc_alloc_rate gc_binary_trees_16 gc_binary_trees_18; do
    e=$(gc_value out/bench/exosharp-gc-icount.txt "$op" value); l=$(gc_value out/bench/dotnet-icount.txt "$op" value)
    ep=$(gc_value out/bench/exosharp-gc-icount.txt "$op" pause); lp=$(gc_value out/bench/dotnet-icount.txt "$op" pause)
    r=$(gc_ratio "$e" "$l")
    echo "BENCH $op exosharp=${e:--} dotnet=${l:--} unit=instructions ratio=$r pause_exosharp=${ep:--} pause_dotnet=${lp:--}"
    echo "$op ${e:--} ${l:--} $r" >> out/bench/managed.table
done
e=$(gc_value out/bench/exosharp-gc-icount.txt gc_binary_trees_18 peak_kib); l=$(gc_value out/bench/dotnet-icount.txt gc_binary_trees_18 peak_kib)
echo "BENCH gc_peak_memory_18 exosharp=${e:--} dotnet=${l:--} unit=KiB ratio=$(gc_ratio "$e" "$l")"
echo "gc_peak_memory_18_KiB ${e:--} ${l:--} $(gc_ratio "$e" "$l")" >> out/bench/managed.table
e=$(gc_value out/bench/exosharp-gc-icount.txt gc_binary_trees_18 pause); l=$(gc_value out/bench/dotnet-icount.txt gc_binary_trees_18 pause)
echo "BENCH gc_max_pause_18 exosharp=${e:--} dotnet=${l:--} unit=instructions ratio=$(gc_ratio "$e" "$l")"
echo "gc_max_pause_18 ${e:--} ${l:--} $(gc_ratio "$e" "$l")" >> out/bench/managed.table
cat out/bench/fs-bench.lines
grep '^BENCH linux_' out/bench/linuxabi.log
echo "BENCH irqoff_hostile exosharp=$irqoff_max unit=instructions cause=\"$irqoff_cause\" goal=200000"
echo "BENCH irqoff_boot exosharp=$irqoff_boot unit=instructions"
echo "BENCH irqoff_mount exosharp=$irqoff_mount unit=instructions"
cat out/bench/net.bench
cat out/bench/http.bench
echo
echo "Wall clock (TSC ticks of QEMU's emulated TSC, median):"
printf '%-18s %12s %12s %8s\n' operation exosharp linux ratio
while read -r op e l r _; do printf '%-18s %12s %12s %8s\n' "$op" "$e" "$l" "$r"; done < out/bench/wall.table

echo
sed -n '/^Linux binaries, wall clock/,$p' out/bench/linuxabi.log

# Packet filters: per packet, 1/10/100 'udp dst port P' filters, a frame the
# last one claims (hit) or none claims (miss).
filter_table() { # $1: icount or wall
    for n in 0 1 10 100; do for m in "" _miss; do
        [ "$n" = 0 ] && [ -n "$m" ] && continue
        case $1 in
            icount) ex=out/bench/exosharp-icount.txt; li=out/bench/linux-icount.txt; ns=""; pcap=_instr ;;
            *) ex=out/bench/exosharp-wall.txt; li=out/bench/linux-wall.txt; ns=_testrun_ns; pcap="" ;;
        esac
        row="$n${m:+ miss}"; [ -z "$m" ] && [ "$n" != 0 ] && row="$n hit"
        v() { local x; x=$(value "$1" "$2" median || true); echo "${x:--}"; }
        last=$(v "$li" "filter_jit_$n${m}_call"); [ "$1" = wall ] && last=$(v "$li" "filter_jit_$n${m}$ns")
        batch=-; [ -z "$m" ] && batch=$(v "$ex" "filter_compiled_${n}_batch")
        echo "$row|$(v "$ex" "filter_interp_$n$m")|$(v "$ex" "filter_compiled_$n$m")|$batch|$(v "$li" "filter_jit_$n$m")|$last|$(v "$host" "filter_pcap_$n$m$pcap")"
    done; done
}
filter_table icount > out/bench/filters-icount.table
filter_table wall > out/bench/filters-wall.table
echo
echo "Packet filters, guest instructions per packet (-icount shift=0):"
printf '%-10s %10s %10s %12s %10s %12s %12s\n' filters interp compiled compiled-x100 linux-jit linux-call libpcap-host
while IFS='|' read -r f a b c d e g; do printf '%-10s %10s %10s %12s %10s %12s %12s\n' "$f" "$a" "$b" "$c" "$d" "$e" "$g"; done < out/bench/filters-icount.table
# Goal checks: compiled with 100 filters against 1 (whole call, and above the call's fixed cost
# with no filter installed), and compiled against Linux's JIT per packet.
goal=$(awk -F'|' '$1 == "0" { c0 = $3 } $1 == "1 hit" { c1 = $3; b1 = $4; j1 = $5 } $1 == "100 hit" { c100 = $3; b100 = $4; j100 = $5 }
    END { if (c1 > 0 && c1 > c0) printf "compiled, 100 filters / 1: %.2f for the whole call, %.2f above the call with no filter (goal: at most 3). Compiled, 100 packets per call (as Linux'"'"'s test run), against Linux'"'"'s eBPF JIT per packet: %d / %d instructions with 1 filter, %d / %d with 100 (goal: at most the JIT).", c100 / c1, (c100 - c0) / (c1 - c0), b1, j1, b100, j100 }' out/bench/filters-icount.table)
echo "$goal"

# The chart: instructions per operation, both kernels, log scale.
awk 'BEGIN { w = 760; row = 34; left = 150; print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" w "\" height=\"" (row * 11 + 70) "\" font-family=\"sans-serif\" font-size=\"12\">";
             print "<text x=\"10\" y=\"20\" font-size=\"14\">Guest instructions per operation (QEMU TCG, -icount shift=0; log scale)</text>";
             print "<rect x=\"" left "\" y=\"30\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/><text x=\"" left+16 "\" y=\"39\">ExoSharp</text>";
             print "<rect x=\"" left+90 "\" y=\"30\" width=\"12\" height=\"10\" fill=\"#c05621\"/><text x=\"" left+106 "\" y=\"39\">Linux 6.1</text>"; n = 0 }
     { y = 55 + n * row; n++; scale = (w - left - 80) / log(100000);
       ex = ($2 > 1 ? log($2) : 0) * scale; li = ($3 > 1 ? log($3) : 0) * scale;
       print "<text x=\"10\" y=\"" y+14 "\">" $1 "</text>";
       print "<rect x=\"" left "\" y=\"" y "\" width=\"" ex "\" height=\"12\" fill=\"#2b6cb0\"/><text x=\"" left+ex+4 "\" y=\"" y+10 "\">" $2 "</text>";
       print "<rect x=\"" left "\" y=\"" y+13 "\" width=\"" li "\" height=\"12\" fill=\"#c05621\"/><text x=\"" left+li+4 "\" y=\"" y+23 "\">" $3 "</text>" }
     END { print "</svg>" }' out/bench/icount.table > docs/benchmarks.svg

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Benchmarks: ExoSharp against Linux in the same QEMU"
    echo
    echo "Written by \`make bench\` (tools/bench.sh) from its own runs; do not edit by hand."
    echo "Commit measured: \`$commit\`$(git diff --quiet -- . ':!docs/benchmarks.md' ':!docs/benchmarks.svg' 2>/dev/null || echo ' (with uncommitted changes)'). QEMU $(qemu-system-x86_64 --version | head -1 | sed 's/.*version //')."
    echo
    echo "The peer is the stock Debian kernel \`$kernel_package\` $kernel_version running"
    echo "\`src/Bench/Linux/bench.c\` (gcc -static) as /init. Both sides run in"
    echo "\`qemu-system-x86_64 ${qemu_common[*]}\`, each operation $((201)) times; the figure is the"
    echo "median (the ratio is of medians), with the cost of reading the time-stamp counter taken"
    echo "off; min and max of the 201 runs beside it."
    echo
    echo "## Guest instructions (-icount shift=0)"
    echo
    echo "| operation | ExoSharp | Linux | Linux / ExoSharp | ExoSharp min-max | Linux min-max |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r op e l r re rl; do echo "| $op | $e | $l | $r | $re | $rl |"; done < out/bench/icount.table
    echo
    echo "![instructions per operation](benchmarks.svg)"
    echo
    echo "## C# run time (guest instructions, -icount shift=0)"
    echo
    echo "The same C# source (\`src/Bench/Managed\`) compiled for ExoSharp and by the stock NativeAOT"
    echo "compiler for linux-x64, run on the Linux peer with .NET's own runtime"
    echo "(\`src/Bench/Managed/Dotnet\`). eh_throw_catch_10: an exception thrown and caught 10 frames up."
    echo "gc_*: the collector (\`src/Bench/Managed/GcWork.cs\`): 1,000,000 short-lived objects, binary-trees"
    echo "at depths 16 and 18, each a single run; the peak memory is ExoSharp's heap frames at most plus"
    echo "its image and stack, against .NET's VmHWM (KiB); the pause is the longest gap the program saw."
    echo
    echo "| operation | ExoSharp | .NET on Linux | .NET / ExoSharp |"
    echo "|---|---:|---:|---:|"
    [ -f out/bench/managed.table ] && while read -r op e l r; do echo "| $op | $e | $l | $r |"; done < out/bench/managed.table
    echo
    echo "## File systems: C-FFS on XN against ext4"
    echo
    tools/fsbench.sh --describe
    echo
    echo "| phase | ExoSharp (busy instructions) | Linux (busy instructions) | Linux / ExoSharp | ExoSharp wall (TSC ticks) | Linux wall (TSC ticks) | Linux / ExoSharp |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    while read -r op e l r ew lw rw; do echo "| $op | $e | $l | $r | $ew | $lw | $rw |"; done < out/bench/fs.table
    echo
    echo "## Longest stretch with interrupts off, hostile suite (-icount shift=0)"
    echo
    echo "The kernel's own measure (docs/abi.md, \"Bounded kernel work\") over one boot running"
    echo "\`$hostile_suite\` with selfcheck=on: $irqoff_max guest instructions ($irqoff_cause;"
    echo "goal: at most 200,000); boot $irqoff_boot, of which XN's mount $irqoff_mount."
    echo
    echo "## Wall clock (emulated TSC ticks, plain TCG; noisy)"
    echo
    echo "| operation | ExoSharp | Linux | Linux / ExoSharp | ExoSharp min-max | Linux min-max |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r op e l r re rl; do echo "| $op | $e | $l | $r | $re | $rl |"; done < out/bench/wall.table
    echo
    echo "## Packet filters"
    echo
    echo "Per packet, with 1, 10 or 100 filters \`udp dst port P\` installed (P = 1000, 1001, ...; libpcap's"
    echo "code for that expression on ExoSharp and libpcap, an equivalent eBPF program on Linux), on a"
    echo "60-byte UDP frame to the last filter's port (hit) or to port 9 (miss). Row 0: ExoSharp with no"
    echo "filter installed, the fixed cost of the system call (null_syscall is above)."
    echo
    echo "| filters | ExoSharp interpreted | ExoSharp compiled | ExoSharp compiled, 100 per call | Linux eBPF JIT (100 per test run) | Linux, one whole call | libpcap on the host |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| *guest instructions (-icount shift=0)* | | | | | | *x86-64 instructions (callgrind)* |"
    while IFS='|' read -r f a b c d e g; do echo "| $f | $a | $b | $c | $d | $e | $g |"; done < out/bench/filters-icount.table
    echo "| *wall clock* | *TSC ticks* | *TSC ticks* | *TSC ticks* | *TSC ticks* | *ns (the kernel's own timing)* | *host ns* |"
    while IFS='|' read -r f a b c d e g; do echo "| $f | $a | $b | $c | $d | $e | $g |"; done < out/bench/filters-wall.table
    echo
    echo "$goal"
    echo
    echo "- ExoSharp: one \`FilterClassify\` system call per packet (the packet copied into the kernel,"
    echo "  the merged program run, the owner checked), with \`FilterEngine.Interpreter\` or \`Native\` as"
    echo "  its engine argument (the bench build's only: \`make bench\` boots out/kernel-bench.elf); 64 filters"
    echo "  per environment, so a forked child owns ports 1050-1099."
    echo "- Linux eBPF JIT: one \`BPF_PROG_TYPE_SCHED_CLS\` program standing for N filters (ethertype, protocol,"
    echo "  fragment offset, then N port comparisons in turn; no IPv6 branch), JIT-compiled"
    echo "  (\`bpf_jit_enable\` = 1), run by \`BPF_PROG_TEST_RUN\` with repeat 100: rdtsc around the call"
    echo "  divided by 100, which leaves out the system call and the skb set-up but keeps the test loop's"
    echo "  own cost per run. \"One whole call\" is repeat 1. The wall-clock row gives the kernel's own"
    echo "  average duration per run (ns of QEMU's clock)."
    echo "- libpcap: \`bpf_filter\` of the host's libpcap, N programs from \`pcap_compile\` run in turn until"
    echo "  one accepts (\`src/Bench/Host/pcapbench.c\`), on the host CPU, not in QEMU."
    echo
    tools/netbench.sh table
    echo
    tools/httpbench.sh table
    cat out/bench/linuxabi.md
    echo
    echo "## What each operation is"
    echo
    echo "| operation | ExoSharp | Linux |"
    echo "|---|---|---|"
    echo "| null_syscall | \`EnvId\`, answered by \`syscall_entry\`'s special case (nothing saved, no C#): a floor, not a typical call | raw \`syscall\` getppid |"
    echo "| null_syscall_general | \`EnvIdOf\` of a child's handle through the kernel's C# entry (the light path: registers kept on the trap stack, no extended state saved; C# dispatch, a capability lookup) | the same getppid (Linux has one entry path) |"
    echo "| upcall_roundtrip | \`ud2\`, handled and resumed in user space | \`ud2\`, SIGILL handler, sigreturn |"
    echo "| trap | write to a read-only page; the handler maps it writable | same with SIGSEGV and mprotect |"
    echo "| prot1 / unprot1 | \`PageMapOne\`: one page read-only / writable again | \`mprotect\` one page |"
    echo "| prot100 / unprot100 | one \`PageMapRange\` of 100 pages (one flags word; the handles an array the program keeps) | one \`mprotect\` of 100 pages |"
    echo "| appel1 | trap + unprotect it + protect another page | same |"
    echo "| appel2 | protect 100 pages, touch each (per page) | same |"
    echo "| first_touch_fault | fault on an unmapped page; the handler allocates and maps a frame | demand-zero fault in the kernel |"
    echo "| ipc_roundtrip | \`IpcCallRegisters\` to a server in \`IpcReplyRegisters\`-and-wait (one word each way) | one byte each way through two pipes |"
    echo "| env_switch | directed \`Yield\` between two environments (per switch) | \`sched_yield\` between two SCHED_FIFO processes (per switch) |"
    echo
    echo "Where the instructions go on ExoSharp's paths today, and the targets: see the"
    echo "notes in docs/benchmarks-notes.md."
} > docs/benchmarks.md
echo
echo "bench: wrote docs/benchmarks.md and docs/benchmarks.svg"
