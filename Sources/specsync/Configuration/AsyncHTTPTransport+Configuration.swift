import SpecSyncConfiguration
import SpecSyncTargets

extension AsyncHTTPTransport {
    /// The transport a target's `http` settings ask for; `target` names the key in an error about `http.caFile`.
    init(settings: HTTPSettings, target: String, environment: [String: String]) throws {
        let key = "targets.\(target).http.caFile"
        let caFile = try settings.caFile?.path(environment: environment, setting: key)
        do {
            try self.init(timeout: settings.requestTimeout, connectTimeout: settings.connectTimeout, caFile: caFile)
        } catch {
            throw ConfigurationError(source: nil, location: nil, message: "\(key): \(error)")
        }
    }
}
