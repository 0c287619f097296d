/// How log entries are written to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's `StreamLogHandler` lines with a local timestamp: for a terminal.
    case text
    /// One JSON object per line: for collectors other than journald.
    case json
    /// `<priority>label: message key=value`: journald reads the priority and adds the timestamp.
    case journald
}
