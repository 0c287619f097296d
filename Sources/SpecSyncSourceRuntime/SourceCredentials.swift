#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

/// The auth spec the input chose, checked against the spec, as the header every request carries.
/// `BasicAuthentication` sends `Basic base64(username:password)`; `OAuth2RefreshCode` sends its
/// `accessToken` as a bearer token (the preview does not refresh it).
struct SourceCredentials: Sendable {
    var headers: [(name: String, value: String)]
    /// The auth properties, for `${domain}` and the like in the host.
    var values: [String: String]

    static let secretNames: Set<String> = ["password", "accessToken", "refreshToken", "clientSecret", "apiKey", "token"]

    static func resolve(_ input: PreviewInput, options: [SourceSpec.AuthOption]) -> (SourceCredentials?, [PreviewDiagnostic]) {
        guard let type = input.authType else {
            let known = options.map(\.type).joined(separator: ", ")
            let warning = PreviewDiagnostic(.warning, code: "auth-none", pointer: JSONPointer("/authSpec"),
                                            message: "the input names no auth, so requests carry no credentials",
                                            help: options.isEmpty ? nil : "add \"auth\": {\"type\": …} with one of \(known)")
            return (SourceCredentials(headers: [], values: [:]), options.isEmpty ? [] : [warning])
        }
        guard let option = options.first(where: { $0.type == type }) else {
            let known = options.isEmpty ? "the spec has no authSpec" : "the spec's authSpec types are \(options.map(\.type).joined(separator: ", "))"
            return (nil, [.init(.error, code: "auth-type", pointer: JSONPointer("/authSpec"),
                                message: "the input's auth type \(type) is not in the spec; \(known)", help: "set auth.type in the input to one of them")])
        }
        // Secrets are hidden wherever they might be echoed: by the spec's word or by their name.
        for (key, value) in input.auth where option.secretProperties.contains(key) || secretNames.contains(key) {
            SecretRegistry.shared.register(value)
        }
        let missing = option.required.filter { (input.auth[$0] ?? "").isEmpty }
        if !missing.isEmpty {
            return (nil, [.init(.error, code: "auth-missing", pointer: option.pointer.appending("spec").appending("required"),
                                message: "\(type) requires \(missing.joined(separator: ", ")), which the input's auth does not give",
                                help: "add them to the input's auth object; secrets as $(env:NAME) or $(cred:NAME)")])
        }
        var headers: [(name: String, value: String)] = []
        switch type {
        case "BasicAuthentication":
            let pair = "\(input.auth["username"] ?? ""):\(input.auth["password"] ?? "")"
            let encoded = Data(pair.utf8).base64EncodedString()
            SecretRegistry.shared.register(encoded)
            headers.append(("Authorization", "Basic \(encoded)"))
        case "OAuth2RefreshCode":
            guard let token = input.auth["accessToken"], !token.isEmpty else {
                return (nil, [.init(.error, code: "auth-missing", pointer: option.pointer.appending("spec"),
                                    message: "OAuth2RefreshCode needs an accessToken in the input's auth", help: "add auth.accessToken")])
            }
            SecretRegistry.shared.register(token)
            headers.append(("Authorization", "Bearer \(token)"))
        default:
            return (nil, [.init(.error, code: "auth-unsupported", pointer: option.pointer.appending("type"),
                                message: "preview cannot authenticate as \(type); it runs BasicAuthentication and OAuth2RefreshCode",
                                help: "preview with one of those auth types if the spec offers one")])
        }
        return (SourceCredentials(headers: headers, values: input.auth), [])
    }
}
