# ExoSharp build. `make run` builds and boots; `make test` runs every test.
# Variables: APP (programs to boot: a comma-separated list of "name [args]", run in order, each
# waited for, except one ending in " &", which runs in the background (ended by init when the
# last program not marked & ends); that last one gets the console's input. Default
# "inet http &,linux /bin/sh -l": echo, discard and chargen on ExOS's TCP/IP stack and Cheetah,
# the web server, on port 80 serving the disk's /www, beside busybox's
# sh under the Linux library OS, on the disk's root tree; `poweroff` or `exit` ends the run),
# NET (the network card: user:PORT forwards
# 127.0.0.1:PORT, PORT+1, PORT+2 (TCP and UDP) to the guest's echo, discard and chargen ports 7,
# 9, 19, default user:5555; none), HTTP (with NET=user:..., host TCP port 127.0.0.1:HTTP, default
# 8080, forwarded to the guest's port 80), DISK (the disk image, default out/disk.img, made when missing
# by tools/fsimage from out/rootfs, the root tree tools/rootfs.sh assembles (busybox-static, its
# applets, /etc); it keeps its files across runs: `rm out/disk.img` (or make rootdisk) remakes it;
# none: no disk), ROOT (a host directory:
# the disk is remade by tools/fsimage holding that tree in C-FFS's system volume, docs/filesystem.md),
# FILES (data boot modules, comma-separated HOST=NAME, for example a Linux binary for
# `linux NAME`: docs/linux.md), TIMEOUT (seconds, 0 = none), APPEND (kernel command line, e.g. selftest=timer), QEMUFLAGS
# (extra QEMU arguments). See README.md.
OUT       := out
DOTNET    ?= dotnet
APP       ?= inet http &,linux /bin/sh -l
NET       ?= user:5555
HTTP      ?= 8080
DISK      ?= $(OUT)/disk.img
FILES     ?=
ROOT      ?=
TIMEOUT   ?= 0
APPEND    ?=
NATIVE    := obj/Release/net10.0/linux-x64/native
DEPS      := $(OUT)/.deps

CORELIB_SRC := $(shell find src/Corelib -name '*.cs' -o -name '*.csproj') build/Bare.props build/Native.props build/Native.targets
KERNEL_SRC  := $(CORELIB_SRC) $(shell find src/Kernel tests/Kernel src/Abi src/Shared src/Executive src/Xn -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -o -name '*.csproj')
APPS_SRC    := $(CORELIB_SRC) $(shell find src/Apps src/LibOS src/Abi src/Shared src/Bench/Managed -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -o -name '*.csproj')
KERNEL_ASM  := src/Kernel/Boot/boot.asm src/Kernel/X64/cpu.asm src/Kernel/X64/stubs.asm
APPS_ASM    := src/LibOS/ExOS/start.asm src/LibOS/Net/Ring/net.asm src/Apps/Hostile/hostile.asm src/Apps/Jos/faultregs.asm src/Apps/Bench/bench.asm src/Apps/State/xstate.asm src/Apps/Foreign/foreign.asm src/Apps/Foreign/segbases.asm src/LibOS/Linux/Runtime/linux.asm
LD        := ld
LDFLAGS   := -n -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments

.PHONY: all kernel apps run test soak unit boottest iso debug bench clean deps rootdisk
all: kernel apps

deps: $(DEPS)
$(DEPS): tools/deps.sh
	@mkdir -p $(OUT)
	@tools/deps.sh
	@touch $@

$(OUT)/asm/%.o: src/%.asm $(DEPS)
	@mkdir -p $(dir $@)
	nasm -f elf64 -o $@ $<

$(OUT)/Kernel.o: $(KERNEL_SRC) $(DEPS)
	$(DOTNET) publish src/Kernel/Kernel.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
	cp src/Kernel/$(NATIVE)/Kernel.o $@
	cp src/Kernel/$(NATIVE)/Kernel.map.xml $(OUT)/kernel.map.xml

$(OUT)/Apps.o: $(APPS_SRC) $(DEPS)
	$(DOTNET) publish src/Apps/Apps.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
	cp src/Apps/$(NATIVE)/Apps.o $@
	cp src/Apps/$(NATIVE)/Apps.map.xml $(OUT)/apps.map.xml

# make bench's kernel: configuration Bench (BENCH defined: benchmark-only arguments, not the ABI).
$(OUT)/Kernel-bench.o: $(KERNEL_SRC) $(DEPS)
	$(DOTNET) publish src/Kernel/Kernel.csproj -c Bench --nologo -v quiet -clp:ErrorsOnly
	cp src/Kernel/obj/Bench/net10.0/linux-x64/native/Kernel.o $@

KERNEL_ASM_OBJS := $(patsubst src/%.asm,$(OUT)/asm/%.o,$(KERNEL_ASM)) $(OUT)/asm/Corelib/Native/runtime.o $(OUT)/asm/Corelib/Native/exceptions.o
KERNEL_OBJS := $(KERNEL_ASM_OBJS) $(OUT)/Kernel.o
APPS_OBJS   := $(patsubst src/%.asm,$(OUT)/asm/%.o,$(APPS_ASM)) $(OUT)/asm/Corelib/Native/runtime.o $(OUT)/asm/Corelib/Native/exceptions.o $(OUT)/Apps.o

$(OUT)/kernel.elf: $(KERNEL_OBJS) src/Kernel/Boot/kernel.ld
	$(LD) $(LDFLAGS) -T src/Kernel/Boot/kernel.ld -o $@ $(KERNEL_OBJS)

$(OUT)/kernel-bench.elf: $(KERNEL_ASM_OBJS) $(OUT)/Kernel-bench.o src/Kernel/Boot/kernel.ld
	$(LD) $(LDFLAGS) -T src/Kernel/Boot/kernel.ld -o $@ $(KERNEL_ASM_OBJS) $(OUT)/Kernel-bench.o

$(OUT)/apps.elf: $(APPS_OBJS) src/LibOS/ExOS/user.ld
	$(LD) $(LDFLAGS) -T src/LibOS/ExOS/user.ld -o $@ $(APPS_OBJS)

kernel: $(OUT)/kernel.elf
apps: $(OUT)/apps.elf

# Boot the system in QEMU with APP's programs as boot modules. The run fails (make reports
# "Error S") when the guest powers off with a status S other than 0.
run: all $(if $(or $(ROOT),$(filter none,$(DISK))),,$(DISK))
	$(if $(ROOT),tools/fsimage make "$(DISK)" "$(ROOT)")
	$(if $(FILES),tools/busybox.sh >/dev/null)
	tools/run.sh --timeout $(TIMEOUT) --stdin --append "$(APPEND)" --net "$(NET)" $(if $(filter user:%,$(NET)),--http "$(HTTP)") $(if $(filter none,$(DISK)),,--disk "$(DISK)") $(if $(FILES),--file "$(FILES)") "$(APP)"

# The default disk: the root tree tools/rootfs.sh assembles in out/rootfs (busybox-static, a
# link per applet, /etc, /tmp, /home, /root, /dev) in C-FFS's system volume (64 MiB), made only
# when missing, so it keeps its files across runs (DISK=other.img: that image, the same way).
# make rootdisk remakes it.
DISK_IMAGE := $(if $(filter none,$(DISK)),$(OUT)/disk.img,$(DISK))
$(DISK_IMAGE):
	@mkdir -p $(OUT) $(dir $@)
	tools/rootfs.sh $(OUT)/rootfs >/dev/null
	tools/fsimage make $@ $(OUT)/rootfs 64

rootdisk:
	rm -f $(DISK_IMAGE)
	$(MAKE) $(DISK_IMAGE)

# A GRUB-bootable ISO of the same system (kernel, symbols, programs named by APP).
iso: all
	tools/mkiso.sh $(OUT)/exosharp.iso "$(APP)" "$(APPEND)"

# QEMU halted with its gdb stub, and gdb attached with the kernel's and programs' symbols.
debug: all
	tools/debug.sh "$(APP)"

# ExoSharp against a stock Linux kernel in the same QEMU (tools/bench.sh), on the bench build of
# the kernel (out/kernel-bench.elf); writes docs/benchmarks.md and docs/benchmarks.svg.
bench: all $(OUT)/kernel-bench.elf
	tools/bench.sh

unit: $(DEPS)
	tools/unit.sh

test: all $(DEPS)
	tools/test.sh

# The long forms: the system-call fuzzer for 1,000,000+ calls with the kernel's self-check
# (tools/soak.sh), the fsx exerciser at 1,000,000 operations, 200 C-FFS power cuts on one disk,
# busybox's test suite's applets that make test leaves out (tools/busybox-suite.sh soak).
soak: all $(DEPS)
	tools/soak.sh
	FSX_OPS=1000000 tools/fs-tests.sh
	tools/disktest.sh 12 200
	tools/busybox-suite.sh soak

clean:
	rm -rf $(OUT) src/*/bin src/*/obj src/*/*/bin src/*/*/obj tests/*/bin tests/*/obj tools/*/bin tools/*/obj
