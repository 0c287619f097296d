import Foundation
import Testing
@testable import SpecSyncConfiguration
@testable import SpecSyncCore
@testable import SpecSyncJSON

@Suite("Configuration: a target's http block and pass deadline")
struct HTTPSettingsTests {
    func parse(_ target: String, environment: [String: String] = [:]) throws(ConfigurationError) -> TargetSettings {
        let loader = ConfigurationLoader(environment: environment, currentDirectory: "/work/repo")
        var configuration = try loader.parse("targets:\n  prod:\n" + target, source: "/etc/specsync/specsync.yaml")
        try loader.applyEnvironment(to: &configuration)
        return try configuration.target(named: "prod")
    }

    @Test("defaults: 5 s to connect, 30 s a request, 20 min a pass, no cleartext")
    func defaults() throws {
        let target = try parse("    flowService: {orgId: X}\n")
        #expect(target.http == HTTPSettings())
        #expect(target.http.connectTimeout == .seconds(5) && target.http.requestTimeout == .seconds(30))
        #expect(target.passDeadline == .seconds(1200))
        #expect(!target.http.allowInsecureHTTP)
    }

    @Test("each key is read; a bad one is an error with line:column")
    func keys() throws {
        let target = try parse("    http: {connectTimeout: 2s, requestTimeout: 90s, allowInsecureHTTP: true}\n    passDeadline: 1h\n")
        #expect(target.http.connectTimeout == .seconds(2))
        #expect(target.http.requestTimeout == .seconds(90))
        #expect(target.http.allowInsecureHTTP)
        #expect(target.passDeadline == .seconds(3600))
        #expect(throws: ConfigurationError.self) { try parse("    http: {readTimeout: 2s}\n") }
        do {
            _ = try parse("    http:\n      requestTimeout: soon\n")
            Issue.record("accepted 'soon'")
        } catch {
            #expect(error.description.hasPrefix("/etc/specsync/specsync.yaml:4:23: 'targets.prod.http.requestTimeout' must be a positive duration"), "\(error)")
        }
    }

    @Test("http:// is refused for every URL of the target's kind unless to loopback or allowed")
    func cleartext() throws {
        for (section, key) in [("flowService", "baseURL"), ("flowService", "imsURL")] {
            #expect(throws: ConfigurationError.self) { try parse("    \(section):\n      \(key): http://example.com\n") }
        }
        #expect(throws: ConfigurationError.self) { try parse("    kind: flxpoint\n    flxpoint:\n      baseURL: http://api.flxpoint.com\n") }
        #expect(throws: ConfigurationError.self) { try parse("    kind: versori\n    versori:\n      baseURL: http://10.1.2.3/api\n") }
        for loopback in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "http://127.1.2.3"] {
            _ = try parse("    flowService:\n      imsURL: \(loopback)\n")
        }
        _ = try parse("    flowService:\n      imsURL: http://ims.internal\n    http: {allowInsecureHTTP: true}\n")
        #expect(throws: ConfigurationError.self) {
            try parse("    flowService: {orgId: X}\n", environment: ["SPECSYNC_TARGETS_PROD_FLOW_SERVICE_IMS_URL": "http://ims.example.com"])
        }
        #expect(!HTTPSettings.isLoopback("http://127.0.0.1.example.com"))
    }
}
