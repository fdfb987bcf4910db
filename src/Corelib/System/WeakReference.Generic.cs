// WeakReference<T>: the typed form of System.WeakReference (the same weak table entry).
namespace System
{
    public sealed class WeakReference<T> where T : class
    {
        private readonly WeakReference _inner;

        public WeakReference(T target) => _inner = new WeakReference(target);

        public bool TryGetTarget(out T target)
        {
            target = (T)_inner.Target;
            return target != null;
        }

        public void SetTarget(T target) => _inner.Target = target;
    }
}
