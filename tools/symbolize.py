#!/usr/bin/env python3
# The host's symbolizer: copies the guest's console (stdin) to stdout as it comes and names the
# code and type addresses the kernel prints raw (it keeps no symbol tables): after "at rip ",
# "    at " (a trace line), "kernel: at " and "called from " an address gets " (Method+0xOFF)";
# after "unhandled exception " a type's address is replaced by its name. Names come from the
# .symtab of the ELF files given (the kernel's image and out/apps.elf), each used only for
# addresses inside its loaded segments. Text is never held back except an address in one of
# those places whose end has not arrived yet (at most HOLD seconds), so prompts show at once.
# usage: tools/symbolize.py ELF... <log >named-log   (tools/run.sh runs it on every boot)
import os
import re
import select
import signal
import struct
import sys
from bisect import bisect_right

HOLD = 2.0
PLACES = rb'(at rip |    at |kernel: at |called from |unhandled exception )'
COMPLETE = re.compile(PLACES + rb'(0x[0-9a-f]+)')
PARTIAL = re.compile(PLACES + rb'(0x?)\Z')


class Image:
    """One ELF file's defined code and data symbols, sorted by address."""

    def __init__(self, path):
        self.symbols, self.low, self.high = [], 0, 0
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError:
            return
        if data[:4] != b'\x7fELF' or data[4] != 2:
            return
        phoff, shoff = struct.unpack_from('<QQ', data, 32)
        phnum, shentsize, shnum = struct.unpack_from('<HHH', data, 56)
        loads = [struct.unpack_from('<IIQQQQQ', data, phoff + i * 56) for i in range(phnum)]
        spans = [(p[3], p[3] + p[6]) for p in loads if p[0] == 1]
        if not spans or shentsize != 64:
            return
        self.low, self.high = min(s[0] for s in spans), max(s[1] for s in spans)
        sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * 64) for i in range(shnum)]
        for s in sections:
            if s[1] != 2:                                    # SHT_SYMTAB
                continue
            strings = sections[s[6]]
            names = data[strings[4]:strings[4] + strings[5]]
            for index, (name, info, _, section, value, size) in enumerate(struct.iter_unpack('<IBBHQQ', data[s[4]:s[4] + s[5]])):
                # As the kernel's table did: no undefined or absolute symbols, no sections.
                if name == 0 or (info & 0xF) > 2 or value == 0 or section == 0 or section >= 0xFF00:
                    continue
                end = names.find(b'\0', name)
                self.symbols.append((value, index, size, names[name:end if end >= 0 else len(names)][:200]))
        self.symbols.sort()
        self.values = [s[0] for s in self.symbols]

    def lookup(self, address):
        """The symbol at or below address, within its size when it has one: (name, offset)."""
        if not self.low <= address < self.high:
            return None
        i = bisect_right(self.values, address)
        while i > 0:
            i -= 1
            value, _, size, name = self.symbols[i]
            if size == 0 or address - value < size:
                return name, address - value
        return None


def describe(images, place, token):
    address = int(token, 16)
    for image in images:
        found = image.lookup(address)
        if found is None:
            continue
        name, offset = found
        if place == b'unhandled exception ':
            if offset != 0:
                return token
            # MethodTables are named like C++ vtables: _ZTV<length><name>.
            return re.sub(rb'^_ZTV[0-9]*', b'', name)
        return token + b' (' + name + (b'+' + hex(offset).encode() if offset else b'') + b')'
    return token


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)             # the guest's ^C is QEMU's to handle
    images = [Image(path) for path in sys.argv[1:]]
    out = sys.stdout.buffer
    line = b''            # the current line's text written so far (its last bytes)
    pending = b''         # an address not yet known to be whole
    while True:
        ready = select.select([0], [], [], HOLD if pending else None)[0]
        data = os.read(0, 65536) if ready else None
        if data is None:                                     # the rest of the address never came
            out.write(pending)
            line, pending = (line + pending)[-64:], b''
            out.flush()
            continue
        final = data == b''
        text = line + pending + data
        start = written = len(line)
        keep = len(text)
        pieces = []
        for m in COMPLETE.finditer(text):
            if m.start(2) < start:                           # written already
                continue
            if m.end(2) == len(text) and not final:          # more digits may follow
                keep = m.start(2)
                break
            pieces += [text[written:m.start(2)], describe(images, m.group(1), m.group(2))]
            written = m.end(2)
        partial = PARTIAL.search(text, max(written - 24, 0))
        if keep == len(text) and not final and partial and partial.start(2) >= written:
            keep = partial.start(2)
        pieces.append(text[written:keep])
        pending = text[keep:]
        chunk = b''.join(pieces)
        out.write(chunk)
        out.flush()
        line = (line + chunk).rsplit(b'\n', 1)[-1][-64:]
        if final:
            return


if __name__ == '__main__':
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
