// Content-Type by a file name's extension (case ignored): the one list. Text types say UTF-8;
// anything not listed is application/octet-stream.
namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class MimeTypes
    {
        /// <summary>The media type for the last segment of path[0..length).</summary>
        public static string Of(byte* path, int length)
        {
            int dot = length - 1;
            while (dot >= 0 && path[dot] != '.' && path[dot] != '/') dot--;
            if (dot < 0 || path[dot] != '.') return "application/octet-stream";
            byte* e = path + dot + 1;
            int n = length - dot - 1;
            if (Is(e, n, "html") || Is(e, n, "htm")) return "text/html; charset=utf-8";
            if (Is(e, n, "txt") || Is(e, n, "text")) return "text/plain; charset=utf-8";
            if (Is(e, n, "md")) return "text/markdown; charset=utf-8";
            if (Is(e, n, "css")) return "text/css; charset=utf-8";
            if (Is(e, n, "js") || Is(e, n, "mjs")) return "text/javascript; charset=utf-8";
            if (Is(e, n, "csv")) return "text/csv; charset=utf-8";
            if (Is(e, n, "json")) return "application/json";
            if (Is(e, n, "xml")) return "application/xml";
            if (Is(e, n, "pdf")) return "application/pdf";
            if (Is(e, n, "wasm")) return "application/wasm";
            if (Is(e, n, "zip")) return "application/zip";
            if (Is(e, n, "gz")) return "application/gzip";
            if (Is(e, n, "tar")) return "application/x-tar";
            if (Is(e, n, "svg")) return "image/svg+xml";
            if (Is(e, n, "png")) return "image/png";
            if (Is(e, n, "jpg") || Is(e, n, "jpeg")) return "image/jpeg";
            if (Is(e, n, "gif")) return "image/gif";
            if (Is(e, n, "webp")) return "image/webp";
            if (Is(e, n, "ico")) return "image/vnd.microsoft.icon";
            if (Is(e, n, "woff")) return "font/woff";
            if (Is(e, n, "woff2")) return "font/woff2";
            if (Is(e, n, "mp4")) return "video/mp4";
            if (Is(e, n, "webm")) return "video/webm";
            if (Is(e, n, "mp3")) return "audio/mpeg";
            return "application/octet-stream";
        }

        private static bool Is(byte* e, int n, string extension) => Ascii.EqualsIgnoreCase(e, n, extension);
    }
}
