// Base of every delegate type. Combining delegates (+=) is missing.
namespace System
{
    public abstract class MulticastDelegate : Delegate
    {
    }
}
