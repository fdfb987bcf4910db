// The status codes the server sends and their reason phrases (RFC 9110 section 15); the one list.
namespace ExoSharp.Apps.Cheetah.Http
{
    public static class HttpStatus
    {
        public const int Ok = 200, PartialContent = 206, MovedPermanently = 301, NotModified = 304,
            BadRequest = 400, NotFound = 404, MethodNotAllowed = 405, RequestTimeout = 408,
            UriTooLong = 414, RangeNotSatisfiable = 416, HeaderFieldsTooLarge = 431,
            NotImplemented = 501, ServiceUnavailable = 503, VersionNotSupported = 505;

        /// <summary>The reason phrase of a status this server sends; "Error" for any other.</summary>
        public static string Reason(int status)
        {
            switch (status)
            {
                case Ok: return "OK";
                case PartialContent: return "Partial Content";
                case MovedPermanently: return "Moved Permanently";
                case NotModified: return "Not Modified";
                case BadRequest: return "Bad Request";
                case NotFound: return "Not Found";
                case MethodNotAllowed: return "Method Not Allowed";
                case RequestTimeout: return "Request Timeout";
                case UriTooLong: return "URI Too Long";
                case RangeNotSatisfiable: return "Range Not Satisfiable";
                case HeaderFieldsTooLarge: return "Request Header Fields Too Large";
                case NotImplemented: return "Not Implemented";
                case ServiceUnavailable: return "Service Unavailable";
                case VersionNotSupported: return "HTTP Version Not Supported";
                default: return "Error";
            }
        }
    }
}
