import SpecSyncCore
import SpecSyncJSON

/// One `ConnectorConnectionPage`: a window of the listing order with cursors on either side.
struct VersoriPage: Sendable {
    var totalCount: Int
    var items: [VersoriConnection]
    /// Cursor of the last item when more follow, else nil.
    var next: String?
    /// Cursor of the first item when more precede, else nil.
    var prev: String?

    /// `ordered` is the whole listing; `after` and `before` are exclusive positions in it.
    init(ordered: [VersoriConnection], first: Int, after: VersoriCursor?, before: VersoriCursor?) {
        totalCount = ordered.count
        let start: Int
        let end: Int
        if let after {
            start = ordered.firstIndex { after.isBefore($0) } ?? ordered.count
            end = min(start + first, ordered.count)
        } else if let before {
            end = ordered.firstIndex { !before.isAfter($0) } ?? ordered.count
            start = max(end - first, 0)
        } else {
            start = 0
            end = min(first, ordered.count)
        }
        items = Array(ordered[start..<end])
        next = end < ordered.count ? items.last.map { VersoriCursor($0).token } : nil
        prev = start > 0 ? items.first.map { VersoriCursor($0).token } : nil
    }

    /// Empty cursors are left out, as the Go service's `omitempty` strings are; `items` is always there.
    var json: JSONValue {
        var object = JSONObject(["totalCount": .number(String(totalCount))])
        if let next { object["next"] = .string(next) }
        if let prev { object["prev"] = .string(prev) }
        object["items"] = .array(items.map(\.summary))
        return .object(object)
    }
}
