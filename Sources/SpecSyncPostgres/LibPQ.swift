import CLibpq
#if canImport(Glibc)
import Glibc
#endif

/// The libpq functions specsync calls, loaded with `dlopen` on first use: the binary does not link
/// libpq, so a run on the file backend never loads it and its 14 libraries (Kerberos, LDAP, OpenSSL).
/// The header gives the types; every call goes through this table.
struct LibPQ: @unchecked Sendable {
    typealias Connection = OpaquePointer
    typealias Result = OpaquePointer
    typealias Strings = UnsafePointer<UnsafePointer<CChar>?>

    let PQconnectdbParams: @convention(c) (Strings?, Strings?, Int32) -> Connection?
    let PQstatus: @convention(c) (Connection?) -> ConnStatusType
    let PQerrorMessage: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
    let PQfinish: @convention(c) (Connection?) -> Void
    let PQsetNoticeProcessor: @convention(c) (Connection?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
    let PQtransactionStatus: @convention(c) (Connection?) -> PGTransactionStatusType
    let PQexec: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Result?
    let PQexecParams: @convention(c) (Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, Strings?,
                                      UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Result?
    let PQclear: @convention(c) (Result?) -> Void
    let PQresultStatus: @convention(c) (Result?) -> ExecStatusType
    let PQresultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let PQnfields: @convention(c) (Result?) -> Int32
    let PQntuples: @convention(c) (Result?) -> Int32
    let PQgetisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let PQgetvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let PQsocket: @convention(c) (Connection?) -> Int32
    let PQconsumeInput: @convention(c) (Connection?) -> Int32
    let PQnotifies: @convention(c) (Connection?) -> UnsafeMutablePointer<PGnotify>?
    let PQfreemem: @convention(c) (UnsafeMutableRawPointer?) -> Void

    /// Debian 12's soname; the package `libpq5` provides it.
    static let soname = "libpq.so.5"

    /// The table, or why it could not be had (loaded once, on first use).
    static let shared: Swift.Result<LibPQ, LoadError> = load(soname)

    /// The loaded table: only called where a connection exists, so it was loaded.
    static var loaded: LibPQ {
        guard case .success(let library) = shared else { preconditionFailure("libpq is used before it was loaded") }
        return library
    }

    struct LoadError: Error {
        let message: String
    }

    /// `soname` is a parameter for the test of a missing library.
    static func load(_ soname: String) -> Swift.Result<LibPQ, LoadError> {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(LoadError(message: "the PostgreSQL state backend needs libpq (\(soname)), which could not be loaded: \(reason); install Debian's package libpq5 (apt-get install libpq5)"))
        }
        func symbol<T>(_ name: String) throws(LoadError) -> T {
            guard let address = dlsym(handle, name) else {
                throw LoadError(message: "\(soname) has no \(name): install Debian's package libpq5 (PostgreSQL 10 or later)")
            }
            return unsafeBitCast(address, to: T.self)
        }
        do {
            return .success(LibPQ(
                PQconnectdbParams: try symbol("PQconnectdbParams"), PQstatus: try symbol("PQstatus"),
                PQerrorMessage: try symbol("PQerrorMessage"), PQfinish: try symbol("PQfinish"),
                PQsetNoticeProcessor: try symbol("PQsetNoticeProcessor"), PQtransactionStatus: try symbol("PQtransactionStatus"),
                PQexec: try symbol("PQexec"), PQexecParams: try symbol("PQexecParams"), PQclear: try symbol("PQclear"),
                PQresultStatus: try symbol("PQresultStatus"), PQresultErrorField: try symbol("PQresultErrorField"),
                PQnfields: try symbol("PQnfields"), PQntuples: try symbol("PQntuples"), PQgetisnull: try symbol("PQgetisnull"),
                PQgetvalue: try symbol("PQgetvalue"), PQsocket: try symbol("PQsocket"), PQconsumeInput: try symbol("PQconsumeInput"),
                PQnotifies: try symbol("PQnotifies"), PQfreemem: try symbol("PQfreemem")))
        } catch {
            return .failure(error)
        }
    }
}
