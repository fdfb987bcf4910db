// The modopt the C# compiler puts on readonly ref parameters.
namespace System.Runtime.CompilerServices
{
    public static class IsConst
    {
    }
}
