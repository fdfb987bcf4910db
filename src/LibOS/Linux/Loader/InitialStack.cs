// The stack a Linux program starts on (System V x86-64 ABI, section 3.4.1): at rsp argc, then
// argv pointers and a null, envp pointers and a null, the auxiliary vector's pairs ending in
// AT_NULL; above them the strings, the platform name and AT_RANDOM's 16 bytes. rsp is 16-byte
// aligned. Written into memory the caller owns (memory is what address `top - size` names).
// Strings go out as UTF-8, except that a char U+DC80-U+DCFF (a lone low surrogate, never text)
// stands for the raw byte 0x80-0xFF (RawByte): execve's strings keep their exact bytes.
namespace ExoSharp.LibOS.Linux.Loader
{
    public static unsafe class InitialStack
    {
        /// <summary>Builds the stack below top in [top - size, top), memory being the pointer to
        /// top - size in this space; returns the initial rsp, or 0 when it does not fit.</summary>
        public static ulong Build(byte* memory, ulong top, ulong size, string[] arguments, string[] environment,
            ElfLoadPlan plan, byte* random16, ulong hardwareCapabilities, ulong clockTicks)
        {
            ulong bottom = top - size;
            ulong at = top;
            // Strings at the top, highest first: the executable's name, environment, arguments.
            string name = arguments.Length > 0 ? arguments[0] : "";
            ulong executableName = Push(memory, bottom, ref at, name);
            ulong platform = Push(memory, bottom, ref at, "x86_64");
            var envAddresses = new ulong[environment.Length];
            for (int i = environment.Length - 1; i >= 0; i--) envAddresses[i] = Push(memory, bottom, ref at, environment[i]);
            var argAddresses = new ulong[arguments.Length];
            for (int i = arguments.Length - 1; i >= 0; i--) argAddresses[i] = Push(memory, bottom, ref at, arguments[i]);
            if (at == 0 || at - bottom < 16) return 0;
            at = (at - 16) & ~15UL;
            ulong random = at;
            for (int i = 0; i < 16; i++) memory[random - bottom + (ulong)i] = random16[i];
            // Then the vectors: 1 + argc + 1 + envc + 1 + 2 * auxc words, rsp 16-byte aligned.
            const int auxCount = 18;              // the pairs below, AT_NULL included
            ulong words = 1 + (ulong)arguments.Length + 1 + (ulong)environment.Length + 1 + 2 * auxCount;
            if (at - bottom < words * 8 + 16) return 0;
            ulong rsp = (at - words * 8) & ~15UL;
            ulong* w = (ulong*)(memory + (rsp - bottom));
            *w++ = (ulong)arguments.Length;
            for (int i = 0; i < arguments.Length; i++) *w++ = argAddresses[i];
            *w++ = 0;
            for (int i = 0; i < environment.Length; i++) *w++ = envAddresses[i];
            *w++ = 0;
            Aux(ref w, AuxVector.ProgramHeaders, plan.ProgramHeaders);
            Aux(ref w, AuxVector.ProgramHeaderSize, 56);
            Aux(ref w, AuxVector.ProgramHeaderCount, plan.ProgramHeaderCount);
            Aux(ref w, AuxVector.PageSize, 4096);
            Aux(ref w, AuxVector.Base, 0);
            Aux(ref w, AuxVector.Flags, 0);
            Aux(ref w, AuxVector.Entry, plan.Entry);
            Aux(ref w, AuxVector.Uid, 0);
            Aux(ref w, AuxVector.EffectiveUid, 0);
            Aux(ref w, AuxVector.Gid, 0);
            Aux(ref w, AuxVector.EffectiveGid, 0);
            Aux(ref w, AuxVector.Platform, platform);
            Aux(ref w, AuxVector.HardwareCapabilities, hardwareCapabilities);
            Aux(ref w, AuxVector.ClockTicks, clockTicks);
            Aux(ref w, AuxVector.Secure, 0);
            Aux(ref w, AuxVector.Random, random);
            Aux(ref w, AuxVector.ExecutableName, executableName);
            Aux(ref w, AuxVector.Null, 0);
            return rsp;
        }

        private static void Aux(ref ulong* w, ulong key, ulong value)
        {
            *w++ = key;
            *w++ = value;
        }

        /// <summary>The char that stands for a raw byte of 0x80 or more in a string given to Build.</summary>
        public static char RawByte(byte b) => (char)(0xDC00 + b);

        private static bool IsRaw(int c) => c >= 0xDC80 && c <= 0xDCFF;

        /// <summary>Copies text as UTF-8 with a terminating zero below at; at becomes its address
        /// (0 when it does not fit above bottom).</summary>
        private static ulong Push(byte* memory, ulong bottom, ref ulong at, string text)
        {
            if (at == 0) return 0;
            ulong length = (ulong)Utf8Length(text) + 1;
            if (at - bottom < length) { at = 0; return 0; }
            at -= length;
            byte* p = memory + (at - bottom);
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.Length)
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00);
                    *p++ = (byte)(0xF0 | (c >> 18)); *p++ = (byte)(0x80 | ((c >> 12) & 0x3F));
                    *p++ = (byte)(0x80 | ((c >> 6) & 0x3F)); *p++ = (byte)(0x80 | (c & 0x3F));
                }
                else if (c < 0x80) *p++ = (byte)c;
                else if (IsRaw(c)) *p++ = (byte)(c & 0xFF);
                else if (c < 0x800) { *p++ = (byte)(0xC0 | (c >> 6)); *p++ = (byte)(0x80 | (c & 0x3F)); }
                else { *p++ = (byte)(0xE0 | (c >> 12)); *p++ = (byte)(0x80 | ((c >> 6) & 0x3F)); *p++ = (byte)(0x80 | (c & 0x3F)); }
            }
            *p = 0;
            return at;
        }

        private static int Utf8Length(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.Length) { n += 4; i++; }
                else n += c < 0x80 || IsRaw(c) ? 1 : c < 0x800 ? 2 : 3;
            }
            return n;
        }
    }
}
