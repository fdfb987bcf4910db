#!/usr/bin/env python3
# Host-side checks of C-FFS disks for tools/disktest.sh, trusting nothing the guest says:
#   cffs-pattern.py DIR                     DIR is `tools/fsimage extract` of a disk `cffs` wrote:
#                                           the files hold src/Apps/Disk/CffsDemo.cs's patterns
#   cffs-pattern.py --compare TREE LOG      LOG is a boot of `cffs ls` on an image of TREE: every
#                                           path, size and FNV-1a hash the guest printed is the host's
import os, re, sys

def pattern(file, length):
    return bytes((at * 7 + file * 31 + (at >> 12)) & 0xFF for at in range(length))

def fnv(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h

def check_extracted(root):
    def read(p):
        with open(os.path.join(root, p), 'rb') as f:
            return f.read()
    assert read('guest/medium') == pattern(2, 70000), 'guest/medium'
    assert read('guest/hard') == pattern(2, 70000), 'guest/hard'
    assert read('guest/nested/small') == pattern(1, 1000), 'guest/nested/small'
    assert os.readlink(os.path.join(root, 'guest/soft')) == 'nested/small', 'guest/soft'
    assert read('guest/moved') == pattern(101, 101), 'guest/moved'
    assert read('guest/nested/first') == pattern(100, 100), 'guest/nested/first'
    assert not os.path.exists(os.path.join(root, 'guest/nested/f2')), 'guest/nested/f2 unlinked'
    for i in range(3, 40):
        assert read('guest/nested/f%d' % i) == pattern(100 + i, 100 + i), 'f%d' % i
    sparse = os.path.join(root, 'guest/sparse')
    assert os.path.getsize(sparse) == 4 << 30, 'guest/sparse size'
    with open(sparse, 'rb') as f:
        f.seek((4 << 30) - 16)
        assert f.read() == b'ABCDEFGHIJKLMNOP', 'guest/sparse tail'
    print('42 files and links as the guest wrote them, a 4 GiB sparse file')

def compare(tree, log):
    guest = {}
    for line in open(log, errors='replace'):
        m = re.search(r'cffs: ls (\S+) mode (\d+) size (\d+)(?: fnv (\d+))?', line)
        if m:
            guest[m.group(1)] = (int(m.group(2)), int(m.group(3)), m.group(4) and int(m.group(4)))
    host = {}
    for dirpath, dirs, files in os.walk(tree):
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            path = '/' + os.path.relpath(full, tree)
            st = os.lstat(full)
            if os.path.islink(full):
                host[path] = (0o120000 | 0o777, len(os.readlink(full)), None)
            elif os.path.isdir(full):
                host[path] = (0o40000 | (st.st_mode & 0o7777), 0, None)
            else:
                with open(full, 'rb') as f:
                    host[path] = (0o100000 | (st.st_mode & 0o7777), st.st_size, fnv(f.read()))
    assert guest == host, 'differ: host only %s, guest only %s, changed %s' % (
        sorted(set(host) - set(guest)), sorted(set(guest) - set(host)),
        sorted(p for p in set(host) & set(guest) if host[p] != guest[p]))
    print('%d paths with their modes, sizes and hashes identical' % len(host))

if sys.argv[1] == '--compare':
    compare(sys.argv[2], sys.argv[3])
else:
    check_extracted(sys.argv[1])
