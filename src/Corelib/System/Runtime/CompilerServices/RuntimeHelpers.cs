// RuntimeHelpers: the pieces the C# compiler and ILCompiler call. Array initialisation from
// metadata blobs is done by ILCompiler itself for the common cases.
namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        public static int OffsetToStringData => 12;

        [Intrinsic]
        public static bool IsReferenceOrContainsReferences<T>() => throw null;

        [Intrinsic]
        public static unsafe void InitializeArray(Array array, RuntimeFieldHandle fldHandle) => throw null;
    }
}
