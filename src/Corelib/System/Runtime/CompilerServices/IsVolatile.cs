// The modreq the C# compiler puts on volatile fields.
namespace System.Runtime.CompilerServices
{
    public static class IsVolatile
    {
    }
}
