// A disposable for the EH suite's `using` cases: Dispose appends to the suite's log.
namespace ExoSharp.Apps.Eh
{
    internal sealed class EhResource : System.IDisposable
    {
        private readonly string _name;

        public EhResource(string name) { _name = name; }

        public void Dispose() => EhSuite.Log("dispose " + _name);
    }
}
