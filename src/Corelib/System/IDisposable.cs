// The using-statement contract, as in .NET.
namespace System
{
    public interface IDisposable
    {
        void Dispose();
    }
}
