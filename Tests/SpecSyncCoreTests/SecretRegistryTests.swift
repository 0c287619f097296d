import Foundation
import SpecSyncCore
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Secret registry")
struct SecretRegistryTests {
    @Test("a registered value reads (sensitive) wherever it appears, in clear, form-encoded or escaped")
    func redaction() {
        let registry = SecretRegistry()
        #expect(registry.isEmpty)
        #expect(registry.redact("nothing to hide") == "nothing to hide")
        registry.register("p@ss word+1")
        registry.register("on")
        #expect(registry.redact("client_secret=p%40ss+word%2B1&scope=x") == "client_secret=(sensitive)&scope=x")
        #expect(registry.redact("said p@ss word+1 twice: p@ss word+1") == "said (sensitive) twice: (sensitive)")
        #expect(registry.redact("turned on") == "turned on", "values too short to protect anything are not registered")
        registry.register("tok\r\nX-Evil: 1")
        #expect(registry.redact(#"{"token":"tok\r\nX-Evil: 1"}"#) == #"{"token":"(sensitive)"}"#)
    }

    @Test("a value is found as characters compare, whatever its bytes (a decomposed é), in member names and nested strings; a tree without one comes back as it was")
    func maskingTrees() {
        let registry = SecretRegistry()
        registry.register("caf\u{E9}-key-1")
        #expect(registry.redact("key: cafe\u{301}-key-1.") == "key: (sensitive).")
        #expect(registry.appears(in: "a cafe\u{301}-key-1 b"))
        #expect(!registry.appears(in: "plain ascii text, caf-key-1"))
        registry.register("ASCII-secret-42")
        #expect(registry.appears(in: "x=ASCII-secret-42"))
        #expect(!registry.appears(in: "x=ASCII-secret-4"))
        let clean = JSONValue.object(JSONObject(["a": .array([.string("ASCII-secret"), .object(JSONObject(["b": .number("1")]))])]))
        #expect(clean.maskingKnownSecrets(registry) == clean)
        let dirty = JSONValue.object(JSONObject([
            "ASCII-secret-42": .array([.string("x ASCII-secret-42"), .object(JSONObject(["b": .string("cafe\u{301}-key-1")]))]),
        ]))
        #expect(dirty.maskingKnownSecrets(registry) == .object(JSONObject([
            "(sensitive)": .array([.string("x (sensitive)"), .object(JSONObject(["b": .string("(sensitive)")]))]),
        ])))
    }

    @Test("a plan diff masks a known secret on the removed side too, where no pointer marks it")
    func maskingRemovedSide() throws {
        let value = "S3cr3t-\(UUID().uuidString)"
        let removed = JSONValue.object(JSONObject(["X-Partner-Key": .string(value), "Other": .string("plain")]))
        SecretRegistry.shared.register(value)
        let masked = removed.masking([])
        #expect(masked == .object(JSONObject(["X-Partner-Key": .string("(sensitive)"), "Other": .string("plain")])))
        // The field that held the secret is gone from git, so the new body marks no pointer there.
        let change = PlannedChange(
            bundle: BundleID("Sources/acme"), action: .update,
            differences: JSONDifference.between(.object(JSONObject(["headerParams": removed])), .object(JSONObject())))
        let shown = try #require(change.displayedDifferences?.first)
        #expect(shown.change == .removed(masked))
    }
}

@Suite("Secret registry against real JSON encoders")
struct SecretRegistryEncoderTests {
    /// A secret with a slash (base64), a backspace, a form feed and a non-ASCII letter, as a
    /// server's echo would carry it.
    static let secret = "k/9+\u{08}x\u{0C}y-caf\u{E9}-\u{1F600}"

    @Test("a secret echoed by Python's json.dumps (\\b, \\f, \\uXXXX for non-ASCII) or by Foundation's encoder (\\/) reads (sensitive)")
    func echoedByRealEncoders() throws {
        let registry = SecretRegistry()
        registry.register(Self.secret)
        let python = try ProcessRunner.checked("python3", ["-c", "import json,sys; print(json.dumps({'echo': sys.argv[1]}))", Self.secret])
        #expect(python.stdout.contains(#"\b"#) && python.stdout.contains(#"\ud83d"#), "the encoder writes what this test is about: \(python.stdout)")
        #expect(registry.redact(python.stdout) == "{\"echo\": \"(sensitive)\"}\n")
        let foundation = String(decoding: try JSONSerialization.data(withJSONObject: ["echo": Self.secret]), as: UTF8.self)
        #expect(foundation.contains(#"k\/9"#), "the encoder writes what this test is about: \(foundation)")
        #expect(registry.redact(foundation) == #"{"echo":"(sensitive)"}"#)
        var canonical: [UInt8] = []
        JSONValue.writeEscaped(Self.secret, into: &canonical)
        #expect(registry.redact(String(decoding: canonical, as: UTF8.self)) == #""(sensitive)""#, "our own canonical JSON's spelling")
        #expect(!registry.appears(in: #"{"echo":"k\/9+"}"#), "a prefix of the secret is not the secret")
    }
}
