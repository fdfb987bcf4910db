// A reference that does not keep its target alive: an entry in the collector's weak table
// (Internal/Runtime/WeakHandles.cs), cleared when the target is collected and freed when this
// object is. Without a collector the target simply stays. Missing: trackResurrection (no finalizers).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    public class WeakReference
    {
        private readonly int _handle;

        public WeakReference(object target)
        {
            object self = this;
            _handle = WeakHandles.Allocate((ulong)Unsafe.As<object, nint>(ref self), Address(target));
            if (_handle < 0) throw new OutOfMemoryException();
        }

        public virtual bool IsAlive => WeakHandles.Target(_handle) != 0;

        public virtual object Target
        {
            get
            {
                nint address = (nint)WeakHandles.Target(_handle);
                return address == 0 ? null : Unsafe.As<nint, object>(ref address);
            }
            set => WeakHandles.SetTarget(_handle, Address(value));
        }

        internal static ulong Address(object target) => target == null ? 0 : (ulong)Unsafe.As<object, nint>(ref target);
    }
}
