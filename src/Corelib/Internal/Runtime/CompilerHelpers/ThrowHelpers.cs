// The throw helpers ILCompiler calls from generated code (bounds checks, overflow, null).
namespace Internal.Runtime.CompilerHelpers
{
    internal static class ThrowHelpers
    {
        public static void ThrowIndexOutOfRangeException() => throw new System.IndexOutOfRangeException();
        public static void ThrowNullReferenceException() => throw new System.NullReferenceException();
        public static void ThrowDivideByZeroException() => throw new System.DivideByZeroException();
        public static void ThrowOverflowException() => throw new System.OverflowException();
        public static void ThrowArrayTypeMismatchException() => throw new System.ArrayTypeMismatchException();
        public static void ThrowArgumentException() => throw new System.ArgumentException();
        public static void ThrowArgumentOutOfRangeException() => throw new System.ArgumentOutOfRangeException();
        public static void ThrowPlatformNotSupportedException() => throw new System.PlatformNotSupportedException();
        public static void ThrowNotImplementedException() => throw new System.NotImplementedException();
        public static void ThrowNotSupportedException() => throw new System.NotSupportedException();
        public static void ThrowInvalidProgramException() => throw new System.InvalidOperationException("Invalid program.");
        public static void ThrowInvalidProgramExceptionWithArgument(int id, string method) => throw new System.InvalidOperationException("Invalid program.");
        public static void ThrowTypeLoadException() => throw new System.TypeLoadException();
        public static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string messageArg) => throw new System.TypeLoadException(className);
        public static void ThrowBadImageFormatException(int id) => throw new System.BadImageFormatException();
        public static void ThrowMissingMethodException(int id, string methodName) => throw new System.MissingMethodException(methodName);
        public static void ThrowMissingFieldException(int id, string fieldName) => throw new System.MissingMethodException(fieldName);
        public static void ThrowFileNotFoundException(int id, string fileName) => throw new System.NotSupportedException(fileName);
        public static void ThrowInvalidCastException() => throw new System.InvalidCastException();
        public static void ThrowFeatureBodyRemoved() => throw new System.NotSupportedException("Feature body removed.");
        public static void ThrowUnavailableType() => throw new System.TypeLoadException();
    }
}
