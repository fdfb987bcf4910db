// Unwinding from the compiler's .eh_frame (RUNTIME-FACTS.md): an index of FDEs sorted by
// start address, built at the first lookup; the CIE/FDE call-frame program run up to a pc to
// get the CFA rule and where callee-saved registers and the return address are; and the
// method each FDE belongs to (LSDA in .dotnet_eh_table: main body or funclet, EH info).
// Decoded rows are cached by pc (UnwindRow), so a hot throw path decodes nothing.
// Handles the CFA ops compilers emit for x86-64 prologs; DWARF expressions are not supported.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Internal.Runtime
{
    internal static unsafe class Unwinder
    {
        private const int RegRbx = 3, RegRbp = 6, RegRsp = 7, RegReturn = 16, Tracked = 17;

        [RuntimeImport("exo_eh_frame_bounds")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void EhFrameBounds(ulong* bounds);

        private static ulong[] s_starts;
        private static ulong[] s_fdes;
        private static int s_count;

        private static void Initialize()
        {
            ulong* bounds = stackalloc ulong[2];
            EhFrameBounds(bounds);
            byte* start = (byte*)bounds[0], end = (byte*)bounds[1];
            int count = 0;
            for (byte* p = start; p + 8 <= end;)
            {
                uint length = *(uint*)p;
                if (length == 0 || length == 0xFFFFFFFF) break;
                if (*(uint*)(p + 4) != 0) count++;
                p += 4 + length;
            }
            ulong[] starts = new ulong[count], fdes = new ulong[count];
            int n = 0;
            for (byte* p = start; p + 8 <= end && n < count;)
            {
                uint length = *(uint*)p;
                if (length == 0 || length == 0xFFFFFFFF) break;
                if (*(uint*)(p + 4) != 0)
                {
                    byte* cie = p + 4 - *(uint*)(p + 4);
                    ReadCie(cie, out _, out _, out _, out byte fdeEncoding, out _, out _);
                    byte* q = p + 8;
                    ulong pcBegin = ReadPointer(ref q, fdeEncoding);
                    if (pcBegin != 0)
                    {
                        // Insertion keeps the index sorted; the compiler emits FDEs nearly in order.
                        int i = n++;
                        while (i > 0 && starts[i - 1] > pcBegin)
                        {
                            starts[i] = starts[i - 1];
                            fdes[i] = fdes[i - 1];
                            i--;
                        }
                        starts[i] = pcBegin;
                        fdes[i] = (ulong)p;
                    }
                }
                p += 4 + length;
            }
            s_starts = starts;
            s_fdes = fdes;
            s_count = n;
        }

        /// <summary>The FDE whose range holds pc, or null (not compiled code with unwind data).</summary>
        public static byte* Find(ulong pc)
        {
            if (s_starts == null) Initialize();
            int lo = 0, hi = s_count - 1, found = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (s_starts[mid] <= pc) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            if (found < 0) return null;
            byte* fde = (byte*)s_fdes[found];
            ReadFde(fde, out ulong begin, out ulong range, out _, out _, out _);
            return pc - begin < range ? fde : null;
        }

        private const int CacheSize = 512;
        private static UnwindRow[] s_cache;

        /// <summary>The row for pc (inside compiled code: a return address minus one), from the
        /// cache or decoded; false when no FDE covers pc. The cache is safe against a thread
        /// switch in the middle of a fill: an entry's Pc is cleared first and set last, and a
        /// reader checks it before and after copying.</summary>
        public static bool Lookup(ulong pc, out UnwindRow row)
        {
            if (s_cache == null) s_cache = new UnwindRow[CacheSize];
            int slot = (int)((pc ^ (pc >> 9)) & (CacheSize - 1));
            ref UnwindRow cached = ref s_cache[slot];
            if (Volatile.Read(ref cached.Pc) == pc)
            {
                row = cached;
                if (Volatile.Read(ref cached.Pc) == pc && row.Pc == pc) return true;
            }
            row = default;
            byte* fde = Find(pc);
            if (fde == null) return false;
            Decode(fde, pc, ref row);
            Volatile.Write(ref cached.Pc, 0);
            ulong keep = row.Pc;
            cached = row;
            cached.Pc = 0;
            Volatile.Write(ref cached.Pc, keep);
            return true;
        }

        private static void Decode(byte* fde, ulong pc, ref UnwindRow row)
        {
            row.Pc = pc;
            ReadFde(fde, out ulong location, out _, out byte* lsda, out byte* program, out byte* programEnd);
            row.MethodStart = location;
            row.EHInfo = null;
            if (lsda != null)
            {
                byte* main = lsda;
                if ((lsda[0] & 3) != 0)
                {
                    main = lsda + 1 + *(int*)(lsda + 1);
                    row.MethodStart = location - (ulong)(long)*(int*)(lsda + 5);
                }
                byte flags = main[0];
                byte* p = main + 1;
                if ((flags & 0x10) != 0) p += 4;
                if ((flags & 0x04) != 0) row.EHInfo = p + *(int*)p;
            }
            byte* cie = fde + 4 - *(uint*)(fde + 4);
            ReadCie(cie, out long codeAlign, out long dataAlign, out int returnRegister, out _, out byte* initial, out byte* initialEnd);
            long* offsets = stackalloc long[Tracked];
            bool* saved = stackalloc bool[Tracked];
            for (int i = 0; i < Tracked; i++) { offsets[i] = 0; saved[i] = false; }
            int cfaRegister = RegRsp;
            long cfaOffset = 8;
            row.Unwindable = Run(initial, initialEnd, ulong.MaxValue, ref location, codeAlign, dataAlign, ref cfaRegister, ref cfaOffset, offsets, saved) &&
                             Run(program, programEnd, pc, ref location, codeAlign, dataAlign, ref cfaRegister, ref cfaOffset, offsets, saved) &&
                             returnRegister == RegReturn && saved[RegReturn] &&
                             (cfaRegister == RegRsp || cfaRegister == RegRbp || cfaRegister == RegRbx || cfaRegister >= 12 && cfaRegister <= 15);
            row.CfaRegister = cfaRegister;
            row.CfaOffset = cfaOffset;
            int mask = 0;
            if (saved[RegReturn]) { mask |= UnwindRow.SavedReturn; row.ReturnOffset = offsets[RegReturn]; }
            if (saved[RegRbx]) { mask |= UnwindRow.SavedRbx; row.RbxOffset = offsets[RegRbx]; }
            if (saved[RegRbp]) { mask |= UnwindRow.SavedRbp; row.RbpOffset = offsets[RegRbp]; }
            if (saved[12]) { mask |= UnwindRow.SavedR12; row.R12Offset = offsets[12]; }
            if (saved[13]) { mask |= UnwindRow.SavedR12 << 1; row.R13Offset = offsets[13]; }
            if (saved[14]) { mask |= UnwindRow.SavedR12 << 2; row.R14Offset = offsets[14]; }
            if (saved[15]) { mask |= UnwindRow.SavedR12 << 3; row.R15Offset = offsets[15]; }
            row.SavedMask = mask;
        }

        /// <summary>Replaces context by its caller's by row's rule: rip, rsp and the callee-saved
        /// registers the frame saved. False when the row is not unwindable.</summary>
        public static bool Step(ref UnwindRow row, ref RegisterContext context)
        {
            if (!row.Unwindable) return false;
            ulong cfa;
            int r = row.CfaRegister;
            if (r == RegRsp) cfa = context.Rsp;
            else if (r == RegRbp) cfa = context.Rbp;
            else if (r == RegRbx) cfa = context.Rbx;
            else cfa = Unsafe.Add(ref context.R12, r - 12);
            cfa = (ulong)((long)cfa + row.CfaOffset);
            int mask = row.SavedMask;
            ulong returnAddress = *(ulong*)(cfa + (ulong)row.ReturnOffset);
            if ((mask & UnwindRow.SavedRbx) != 0) context.Rbx = *(ulong*)(cfa + (ulong)row.RbxOffset);
            if ((mask & UnwindRow.SavedRbp) != 0) context.Rbp = *(ulong*)(cfa + (ulong)row.RbpOffset);
            if ((mask & UnwindRow.SavedR12) != 0) context.R12 = *(ulong*)(cfa + (ulong)row.R12Offset);
            if ((mask & (UnwindRow.SavedR12 << 1)) != 0) context.R13 = *(ulong*)(cfa + (ulong)row.R13Offset);
            if ((mask & (UnwindRow.SavedR12 << 2)) != 0) context.R14 = *(ulong*)(cfa + (ulong)row.R14Offset);
            if ((mask & (UnwindRow.SavedR12 << 3)) != 0) context.R15 = *(ulong*)(cfa + (ulong)row.R15Offset);
            context.Rip = returnAddress;
            context.Rsp = cfa;
            return true;
        }

        // Runs call-frame instructions while the location is at or below pc.
        private static bool Run(byte* p, byte* end, ulong pc, ref ulong location, long codeAlign, long dataAlign,
                                ref int cfaRegister, ref long cfaOffset, long* offsets, bool* saved)
        {
            const int Depth = 4;
            long* stackOffsets = stackalloc long[Tracked * Depth];
            bool* stackSaved = stackalloc bool[Tracked * Depth];
            int* stackCfa = stackalloc int[Depth];
            long* stackCfaOffset = stackalloc long[Depth];
            int depth = 0;
            while (p < end)
            {
                byte op = *p++;
                ulong advance = 0;
                int high = op & 0xC0, low = op & 0x3F;
                if (high == 0x40) advance = (ulong)low;
                else if (high == 0x80) { SetSaved(low, (long)ReadUleb(ref p) * dataAlign, offsets, saved); continue; }
                else if (high == 0xC0) { if (low < Tracked) saved[low] = false; continue; }
                else
                {
                    switch (op)
                    {
                        case 0x00: continue;                                   // nop
                        case 0x02: advance = *p++; break;                      // advance_loc1
                        case 0x03: advance = *(ushort*)p; p += 2; break;       // advance_loc2
                        case 0x04: advance = *(uint*)p; p += 4; break;         // advance_loc4
                        case 0x05: { int r = (int)ReadUleb(ref p); SetSaved(r, (long)ReadUleb(ref p) * dataAlign, offsets, saved); continue; }
                        case 0x06: case 0x07: case 0x08: { int r = (int)ReadUleb(ref p); if (r < Tracked) saved[r] = false; continue; }
                        case 0x0A:                                             // remember_state
                            if (depth == Depth) return false;
                            for (int i = 0; i < Tracked; i++) { stackOffsets[depth * Tracked + i] = offsets[i]; stackSaved[depth * Tracked + i] = saved[i]; }
                            stackCfa[depth] = cfaRegister;
                            stackCfaOffset[depth] = cfaOffset;
                            depth++;
                            continue;
                        case 0x0B:                                             // restore_state
                            if (depth == 0) return false;
                            depth--;
                            for (int i = 0; i < Tracked; i++) { offsets[i] = stackOffsets[depth * Tracked + i]; saved[i] = stackSaved[depth * Tracked + i]; }
                            cfaRegister = stackCfa[depth];
                            cfaOffset = stackCfaOffset[depth];
                            continue;
                        case 0x0C: cfaRegister = (int)ReadUleb(ref p); cfaOffset = (long)ReadUleb(ref p); continue;
                        case 0x0D: cfaRegister = (int)ReadUleb(ref p); continue;
                        case 0x0E: cfaOffset = (long)ReadUleb(ref p); continue;
                        case 0x11: { int r = (int)ReadUleb(ref p); SetSaved(r, ReadSleb(ref p) * dataAlign, offsets, saved); continue; }
                        case 0x12: cfaRegister = (int)ReadUleb(ref p); cfaOffset = ReadSleb(ref p) * dataAlign; continue;
                        case 0x13: cfaOffset = ReadSleb(ref p) * dataAlign; continue;
                        case 0x2E: ReadUleb(ref p); continue;                  // GNU_args_size
                        default: return false;
                    }
                }
                ulong next = location + advance * (ulong)codeAlign;
                if (next > pc) return true;
                location = next;
            }
            return true;
        }

        private static void SetSaved(int register, long offset, long* offsets, bool* saved)
        {
            if (register >= Tracked) return;
            offsets[register] = offset;
            saved[register] = true;
        }

        private static void ReadCie(byte* cie, out long codeAlign, out long dataAlign, out int returnRegister,
                                    out byte fdeEncoding, out byte* program, out byte* programEnd)
        {
            uint length = *(uint*)cie;
            programEnd = cie + 4 + length;
            byte* p = cie + 8;
            byte version = *p++;
            byte* augmentation = p;
            while (*p != 0) p++;
            p++;
            codeAlign = (long)ReadUleb(ref p);
            dataAlign = ReadSleb(ref p);
            returnRegister = version == 1 ? *p++ : (int)ReadUleb(ref p);
            fdeEncoding = 0;
            if (augmentation[0] == 'z')
            {
                ulong dataLength = ReadUleb(ref p);
                byte* data = p;
                for (byte* a = augmentation + 1; *a != 0; a++)
                {
                    if (*a == 'R') fdeEncoding = *data++;
                    else if (*a == 'L') data++;
                    else if (*a == 'P') { byte e = *data++; ReadPointer(ref data, e); }
                }
                p += dataLength;
            }
            program = p;
        }

        private static void ReadFde(byte* fde, out ulong begin, out ulong range, out byte* lsda, out byte* program, out byte* programEnd)
        {
            byte* cie = fde + 4 - *(uint*)(fde + 4);
            ReadCie(cie, out _, out _, out _, out byte encoding, out _, out _);
            byte* augmentation = cie + 9;
            programEnd = fde + 4 + *(uint*)fde;
            byte* p = fde + 8;
            begin = ReadPointer(ref p, encoding);
            range = ReadPointer(ref p, (byte)(encoding & 0x0F));
            lsda = null;
            if (augmentation[0] == 'z')
            {
                ulong dataLength = ReadUleb(ref p);
                byte* data = p;
                byte lsdaEncoding = 0xFF;
                // The LSDA encoding sits in the CIE's augmentation data, in letter order.
                byte* c = cie + 9;
                while (*c != 0) c++;
                c++;
                ReadUleb(ref c);
                ReadSleb(ref c);
                if (cie[8] == 1) c++; else ReadUleb(ref c);
                ReadUleb(ref c);
                for (byte* a = augmentation + 1; *a != 0; a++)
                {
                    if (*a == 'L') lsdaEncoding = *c++;
                    else if (*a == 'R') c++;
                    else if (*a == 'P') { byte e = *c++; ReadPointer(ref c, e); }
                }
                if (lsdaEncoding != 0xFF && dataLength > 0)
                {
                    ulong value = ReadPointer(ref data, lsdaEncoding);
                    if (value != 0) lsda = (byte*)value;
                }
                p += dataLength;
            }
            program = p;
        }

        private static ulong ReadPointer(ref byte* p, byte encoding)
        {
            byte* at = p;
            long value;
            switch (encoding & 0x0F)
            {
                case 0x00: value = *(long*)p; p += 8; break;
                case 0x01: value = (long)ReadUleb(ref p); break;
                case 0x02: value = *(ushort*)p; p += 2; break;
                case 0x03: value = *(uint*)p; p += 4; break;
                case 0x04: value = *(long*)p; p += 8; break;
                case 0x09: value = ReadSleb(ref p); break;
                case 0x0A: value = *(short*)p; p += 2; break;
                case 0x0B: value = *(int*)p; p += 4; break;
                case 0x0C: value = *(long*)p; p += 8; break;
                default: return 0;
            }
            if ((encoding & 0x70) == 0x10 && value != 0) value += (long)at;
            return (ulong)value;
        }

        private static ulong ReadUleb(ref byte* p)
        {
            ulong result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                result |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return result;
        }

        private static long ReadSleb(ref byte* p)
        {
            long result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                result |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
            return result;
        }
    }
}
