#!/usr/bin/env bash
# Assembles the default system's root tree (make run's disk) in a host directory, default
# out/rootfs: Debian's busybox-static at /bin/busybox (tools/busybox.sh fetches it; never
# committed), /bin/sh and a symbolic link per applet (busybox --list, run on the host),
# a minimal /etc (passwd, group, hostname, motd, profile with PS1), /tmp, /home, /root, /dev,
# and /www, the site Cheetah serves (`inet http`): an index.html.
# Usage: tools/rootfs.sh [DIR]. The Makefile turns it into out/disk.img with tools/fsimage.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-out/rootfs}"
busybox="$(tools/busybox.sh)"
rm -rf "$root"
mkdir -p "$root"/{bin,etc,tmp,home,root,dev,www}
cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
ln -sf busybox "$root/bin/sh"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'exosharp\n' > "$root/etc/hostname"
printf 'ExoSharp: busybox sh under the Linux library OS. poweroff (or exit) ends the run.\n' > "$root/etc/motd"
cat > "$root/etc/profile" <<'PROFILE'
export PATH=/bin
export HOME=/root
export PS1='exosharp:$PWD# '
# No init process to signal: busybox's halt applets call reboot(2) themselves with -f.
alias poweroff='poweroff -f' reboot='reboot -f' halt='halt -f'
cat /etc/motd
PROFILE
cat > "$root/www/index.html" <<'PAGE'
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ExoSharp</title></head>
<body>
<h1>Cheetah on ExoSharp</h1>
<p>This page comes from /www on the guest's C-FFS disk, served over HTTP/1.1 by Cheetah on
ExOS's TCP/IP stack, in ring 3 on an exokernel written in C#. Files put in /www from the shell
are served too.</p>
</body>
</html>
PAGE
echo "$root"
