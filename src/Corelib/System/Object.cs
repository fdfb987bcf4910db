// The root of every type. The single field is the MethodTable pointer that ILCompiler expects
// under this exact name. No finalizers, no reflection: ToString reports only "System.Object".
namespace System
{
    public class Object
    {
        internal unsafe Internal.Runtime.MethodTable* m_pEEType;

        public Object() { }

        public virtual bool Equals(object obj) => (object)this == obj;

        public virtual int GetHashCode() => 0;

        public virtual string ToString() => "System.Object";
    }
}
