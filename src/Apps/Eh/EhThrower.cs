// Implements IEhThrower by throwing EhTestException(value) from a virtual method.
namespace ExoSharp.Apps.Eh
{
    internal class EhThrower : IEhThrower
    {
        public virtual int Run(int value) => throw new EhTestException(value);
    }
}
