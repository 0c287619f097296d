import Foundation
import Testing
import SpecSyncTestSupport
@testable import SpecSyncCore
import SpecSyncConfiguration

@Suite("verify settings")
struct VerifySettingsTests {
    static let yaml = """
        targets:
          prod:
            verify:
              dataflow: true
              runTimeout: 2m
              bundles:
                mailchimp-members:
                  authSpec: Basic Authentication
                  auth: {domain: us1, username: verify, password: "$(env:VERIFY_PASSWORD)"}
                  params: {listId: L1}
        """

    @Test("targets.NAME.verify is read: dataflow, runTimeout and each bundle's authSpec, auth and params in order")
    func reads() throws {
        let configuration = try ConfigurationLoader(environment: [:], currentDirectory: "/").parse(Self.yaml, source: "/etc/specsync/specsync.yaml")
        let verify = try configuration.target(named: "prod").verify
        #expect(verify.dataflow)
        #expect(verify.runTimeout == .seconds(120))
        let bundle = try #require(verify.bundles["mailchimp-members"])
        #expect(bundle.authSpec == "Basic Authentication")
        #expect(bundle.auth.map(\.0) == ["domain", "username", "password"])
        #expect(bundle.params.map(\.1) == ["L1"])
    }

    @Test("an unknown key under a bundle is an error naming it and where it is")
    func unknownKey() {
        let yaml = Self.yaml.replacingOccurrences(of: "params: {listId: L1}", with: "parms: {listId: L1}")
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader(environment: [:], currentDirectory: "/").parse(yaml, source: "x.yaml") }
        do { _ = try ConfigurationLoader(environment: [:], currentDirectory: "/").parse(yaml, source: "x.yaml") } catch {
            #expect("\(error)".contains("unknown key 'parms' under 'targets.prod.verify.bundles.mailchimp-members'"), "\(error)")
        }
    }

    @Test("references resolve from the environment, are registered as secrets, and unresolved ones are named")
    func resolution() {
        let secret = "verify-\(UUID().uuidString)"
        let (values, unresolved) = VerifySettings.Bundle.resolve(
            [("password", "$(env:VERIFY_PASSWORD)"), ("token", "$(env:MISSING_ONE)"), ("domain", "us1")],
            section: "verify.bundles.x.auth", lookup: SecretLookup(environment: ["VERIFY_PASSWORD": secret]))
        #expect(values["password"] == .string(secret))
        #expect(values["domain"] == .string("us1"))
        #expect(unresolved == ["verify.bundles.x.auth.token: $(env:MISSING_ONE)"])
        #expect(!SecretRegistry.shared.redact("the password is \(secret)").contains(secret))
    }
}
