import Hummingbird

/// The platform-shaped 405 for methods a resource does not document (e.g. DELETE on specs).
enum MethodNotAllowed {
    static func error(_ method: HTTPRequest.Method, allowed: [String], path: String) -> EmulatorError {
        .platform(
            status: 405, code: "FLOW-1106-405", title: "Method not allowed",
            detail: "\(method.rawValue) is not supported on \(path); allowed: \(allowed.joined(separator: ", ")).")
    }
}
