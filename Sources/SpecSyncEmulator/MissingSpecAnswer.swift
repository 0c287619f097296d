/// The forms in which Adobe's services say that a spec does not exist; a client must read each one
/// as "not found".
public enum MissingSpecAnswer: String, Sendable, Codable, CaseIterable {
    /// 404 `{"type": ".../FLOW-1101-404", "title", "status", "report"}`.
    case platform404
    /// 404 `{"error_code": "404050", "message"}`, the API gateway's shape.
    case gateway404
    /// 200 `{"items": []}`.
    case emptyItems
}
