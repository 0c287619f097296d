/// One SQL statement with its text parameters (nil is NULL).
struct PostgresStatement: Sendable {
    let sql: String
    let parameters: [String?]
}
