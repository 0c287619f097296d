import Hummingbird

/// The platform-shaped 405 for methods a resource does not document (e.g. DELETE on specs), with
/// the `Allow` header listing those it does.
enum MethodNotAllowed {
    static func error(_ method: HTTPRequest.Method, allowed: [String], path: String) -> EmulatorError {
        .methodNotAllowed(
            allowed: allowed, detail: "\(method.rawValue) is not supported on \(path); allowed: \(allowed.joined(separator: ", ")).")
    }
}
