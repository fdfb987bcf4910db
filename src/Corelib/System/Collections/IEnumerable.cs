// The non-generic enumeration contract, as in .NET (the C# compiler requires the type).
namespace System.Collections
{
    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }
}
