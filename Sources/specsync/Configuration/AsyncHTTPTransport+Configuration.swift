import SpecSyncConfiguration
import SpecSyncTargets

extension AsyncHTTPTransport {
    /// The transport a target's `http` settings ask for.
    init(settings: HTTPSettings) {
        self.init(timeout: settings.requestTimeout, connectTimeout: settings.connectTimeout)
    }
}
