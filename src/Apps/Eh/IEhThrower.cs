// An interface the EH suite throws through (an exception crossing an interface call).
namespace ExoSharp.Apps.Eh
{
    internal interface IEhThrower
    {
        int Run(int value);
    }
}
