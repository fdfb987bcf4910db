# gdb's Python half of tools/trace-op.sh: stops at TRACE_START (a symbol or *address) the
# (TRACE_SKIP + 1)-th time TRACE_COND holds, then steps one instruction at a time until the
# operation ends (back in user mode when it started in the kernel, else the return address
# it was entered with) or TRACE_MAX instructions, and writes the addresses to TRACE_OUT.
import gdb, os
start = os.environ["TRACE_START"]
cond = os.environ.get("TRACE_COND", "1")
skip = int(os.environ.get("TRACE_SKIP", "0"))
limit = int(os.environ.get("TRACE_MAX", "20000"))
out = os.environ["TRACE_OUT"]
gdb.execute("set pagination off")
gdb.execute("hbreak *" + start if not start[0].isalpha() else "hbreak " + start)
gdb.breakpoints()[-1].condition = cond
for _ in range(skip + 1):
    gdb.execute("continue", to_string=True)
KERNEL = 0xFFFF800000000000
ret = int(gdb.parse_and_eval("*(unsigned long*)$rsp"))
in_kernel = int(gdb.parse_and_eval("$pc")) >= KERNEL
pcs = []
for n in range(limit):
    pc = int(gdb.parse_and_eval("$pc"))
    if pc == ret or (n > 0 and in_kernel and pc < KERNEL):
        break
    pcs.append(pc)
    gdb.execute("stepi", to_string=True)
with open(out, "w") as f:
    f.write("".join("%x\n" % pc for pc in pcs))
gdb.execute("kill")
