// The EH suite's own exception type: carries a value, so a catch can show it got the very
// object that was thrown.
namespace ExoSharp.Apps.Eh
{
    internal class EhTestException : System.Exception
    {
        public readonly int Value;

        public EhTestException(int value) : base("test " + value.ToString()) { Value = value; }
    }
}
