// Immutable UTF-16 strings. Layout fixed by the compiler: length, then the characters, then a
// terminating NUL that the allocator's zeroing provides. Constructors are redirected by
// ILCompiler to the static Ctor methods below. Culture-aware operations are missing.
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;
using System.Runtime;

namespace System
{
    public sealed unsafe class String
    {
        private readonly int _stringLength;
        private char _firstChar;

        public static readonly string Empty = "";

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        public ref readonly char GetPinnableReference() => ref _firstChar;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char* value, int startIndex, int length);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char c, int count);

        /// <summary>Bytes as Latin-1 (ASCII exactly); .NET decodes UTF-8 here.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(sbyte* value, int startIndex, int length);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(ReadOnlySpan<char> value);

        private static string Ctor(char* value, int startIndex, int length)
        {
            if (length < 0 || startIndex < 0)
                throw new ArgumentOutOfRangeException(nameof(length));
            string result = FastAllocateString(length);
            Buffer.Memmove((byte*)Unsafe.AsPointer(ref result._firstChar), (byte*)(value + startIndex), (nuint)length * 2);
            return result;
        }

        private static string Ctor(sbyte* value, int startIndex, int length)
        {
            if (length < 0 || startIndex < 0)
                throw new ArgumentOutOfRangeException(nameof(length));
            string result = FastAllocateString(length);
            char* p = (char*)Unsafe.AsPointer(ref result._firstChar);
            for (int i = 0; i < length; i++) p[i] = (char)(byte)value[startIndex + i];
            return result;
        }

        private static string Ctor(char c, int count)
        {
            if (count < 0)
                throw new ArgumentOutOfRangeException(nameof(count));
            string result = FastAllocateString(count);
            char* p = (char*)Unsafe.AsPointer(ref result._firstChar);
            for (int i = 0; i < count; i++) p[i] = c;
            return result;
        }

        private static string Ctor(ReadOnlySpan<char> value)
        {
            string result = FastAllocateString(value.Length);
            fixed (char* src = value)
                Buffer.Memmove((byte*)Unsafe.AsPointer(ref result._firstChar), (byte*)src, (nuint)value.Length * 2);
            return result;
        }

        internal static string FastAllocateString(int length)
        {
            if (length == 0) return Empty;
            return RuntimeExports.NewString(length);
        }

        public static bool IsNullOrEmpty(string value) => value == null || value.Length == 0;

        public static string Concat(string a, string b)
        {
            if (IsNullOrEmpty(a)) return b ?? Empty;
            if (IsNullOrEmpty(b)) return a;
            string result = FastAllocateString(a.Length + b.Length);
            char* dst = (char*)Unsafe.AsPointer(ref result._firstChar);
            fixed (char* pa = &a._firstChar) Buffer.Memmove((byte*)dst, (byte*)pa, (nuint)a.Length * 2);
            fixed (char* pb = &b._firstChar) Buffer.Memmove((byte*)(dst + a.Length), (byte*)pb, (nuint)b.Length * 2);
            return result;
        }

        public static string Concat(string a, string b, string c) => Concat(Concat(a, b), c);

        public static string Concat(string a, string b, string c, string d) => Concat(Concat(a, b), Concat(c, d));

        public static string Concat(params string[] values)
        {
            string result = Empty;
            for (int i = 0; i < values.Length; i++) result = Concat(result, values[i]);
            return result;
        }

        public static bool Equals(string a, string b)
        {
            if ((object)a == b) return true;
            if (a is null || b is null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return false;
            return true;
        }

        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        public bool Equals(string value) => Equals(this, value);

        public static bool operator ==(string a, string b) => Equals(a, b);

        public static bool operator !=(string a, string b) => !Equals(a, b);

        public override int GetHashCode()
        {
            uint hash = 2166136261;
            for (int i = 0; i < _stringLength; i++) hash = (hash ^ this[i]) * 16777619;
            return (int)hash;
        }

        public bool StartsWith(string value)
        {
            if (value.Length > Length) return false;
            for (int i = 0; i < value.Length; i++)
                if (this[i] != value[i]) return false;
            return true;
        }

        public int IndexOf(char value)
        {
            for (int i = 0; i < Length; i++)
                if (this[i] == value) return i;
            return -1;
        }

        public string Substring(int startIndex) => Substring(startIndex, Length - startIndex);

        public string Substring(int startIndex, int length)
        {
            if ((uint)startIndex > (uint)Length || (uint)length > (uint)(Length - startIndex))
                throw new ArgumentOutOfRangeException(nameof(startIndex));
            fixed (char* p = &_firstChar) return new string(p, startIndex, length);
        }

        public override string ToString() => this;

        public static implicit operator ReadOnlySpan<char>(string value) =>
            value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);
    }
}
