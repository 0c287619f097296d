/// A page cursor: the position (updatedAt, id) of a connection in the listing order. Keyset rather
/// than offset, so a connection created while a client pages does not shift every page after it.
/// Opaque to clients: hex of "updatedAt|id".
struct VersoriCursor: Sendable, Equatable {
    var updatedAt: String
    var id: String

    init(_ connection: VersoriConnection) {
        updatedAt = connection.updatedAt
        id = connection.id
    }

    init?(token: String) {
        let hex = Array(token.utf8)
        guard !hex.isEmpty, hex.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        updatedAt = String(parts[0])
        id = String(parts[1])
    }

    var token: String {
        Array("\(updatedAt)|\(id)".utf8).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Listing order: most recently updated first, ties by id descending.
    static func precedes(_ lhs: VersoriConnection, _ rhs: VersoriConnection) -> Bool {
        (lhs.updatedAt, lhs.id) > (rhs.updatedAt, rhs.id)
    }

    /// Whether `connection` is listed after this position.
    func isBefore(_ connection: VersoriConnection) -> Bool {
        (updatedAt, id) > (connection.updatedAt, connection.id)
    }

    /// Whether `connection` is listed before this position.
    func isAfter(_ connection: VersoriConnection) -> Bool {
        (updatedAt, id) < (connection.updatedAt, connection.id)
    }
}
