import SpecSyncCore

/// Percent-encoding of query names and values (RFC 3986 unreserved characters kept).
enum QueryEncoding {
    static func encode(_ text: String) -> String {
        PercentEncoding.encode(text, keeping: "-._~")
    }

    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
