// A request-target made a path inside the site: origin-form ("/a/b?q") or absolute-form
// ("http://host/a/b"); the query dropped; percent-escapes decoded (a bad escape or a NUL is 400);
// then normalised: empty and "." segments dropped, ".." removes the segment before it, and a ".."
// above the root is an escape (404). Decoding comes first, so "%2e%2e" and "..%2f" cannot slip
// through. The result is "/" or "/seg/seg" with no "." or ".." segment and no NUL.
namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class TargetPath
    {
        /// <summary>0 with the path in output[0..length), or 400 or 404. Precondition: capacity
        /// at least targetLength + 1. Trailing: the target named a directory form (ended in "/",
        /// "/." or "/..").</summary>
        public static int Resolve(byte* target, int targetLength, byte* output, int capacity, out int length, out bool trailing)
        {
            length = 0;
            trailing = false;
            int i = 0;
            if (targetLength > 0 && target[0] != '/')
            {
                int skip = Ascii.StartsWithIgnoreCase(target, targetLength, "http://") ? 7 :
                           Ascii.StartsWithIgnoreCase(target, targetLength, "https://") ? 8 : -1;
                if (skip < 0) return HttpStatus.BadRequest;
                i = skip;
                while (i < targetLength && target[i] != '/' && target[i] != '?') i++;
                if (i == skip) return HttpStatus.BadRequest;
            }
            if (capacity < targetLength + 1) return HttpStatus.BadRequest;
            if (i == 0 && Plain(target, targetLength))
            {
                // Already a normal path: copied as it is, less a trailing slash (but the root's).
                System.Buffer.MemoryCopy(target, output, capacity, targetLength);
                trailing = target[targetLength - 1] == '/';
                length = trailing && targetLength > 1 ? targetLength - 1 : targetLength;
                return 0;
            }
            int n = 0;
            for (; i < targetLength && target[i] != '?' && target[i] != '#'; i++)
            {
                byte c = target[i];
                if (c == '%')
                {
                    if (i + 2 >= targetLength) return HttpStatus.BadRequest;
                    int high = HexDigit(target[i + 1]), low = HexDigit(target[i + 2]);
                    if (high < 0 || low < 0) return HttpStatus.BadRequest;
                    c = (byte)(high * 16 + low);
                    if (c == 0) return HttpStatus.BadRequest;
                    i += 2;
                }
                output[n++] = c;
            }
            // Normalise in place: the write position never passes the read position.
            int w = 0, r = 0;
            while (r < n)
            {
                while (r < n && output[r] == '/') r++;
                int start = r;
                while (r < n && output[r] != '/') r++;
                int segment = r - start;
                trailing = segment == 0 || (segment == 1 && output[start] == '.') || (segment == 2 && output[start] == '.' && output[start + 1] == '.');
                if (segment == 0 || (segment == 1 && output[start] == '.')) continue;
                if (segment == 2 && output[start] == '.' && output[start + 1] == '.')
                {
                    if (w == 0) return HttpStatus.NotFound;
                    while (output[w - 1] != '/') w--;
                    w--;
                    continue;
                }
                output[w++] = (byte)'/';
                for (int k = 0; k < segment; k++) output[w++] = output[start + k];
            }
            if (n == 0) trailing = true;
            if (w == 0) { output[0] = (byte)'/'; w = 1; trailing = true; }
            length = w;
            return 0;
        }

        /// <summary>Whether target is "/" or "/seg/seg[/]" with nothing to decode or drop: no '%',
        /// '?', '#', no empty segment but a last one, and no segment starting with '.'.</summary>
        private static bool Plain(byte* target, int length)
        {
            if (length == 0 || target[0] != '/') return false;
            for (int k = 0; k < length; k++)
            {
                byte c = target[k];
                if (c == '%' || c == '?' || c == '#') return false;
                if (c == '/' && k + 1 < length && (target[k + 1] == '/' || target[k + 1] == '.')) return false;
            }
            return true;
        }

        private static int HexDigit(byte c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
