import Testing
@testable import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore
@testable import SpecSyncConfiguration

@Suite("Spec validation")
struct SpecValidatorTests {
    let file = "Sources/x/Artifacts/x-connectionSpec.json"

    /// Seed 002's POST body, edited by `edit`, validated.
    func diagnostics(_ edit: (inout JSONValue) -> Void = { _ in }) throws -> [Diagnostic] {
        var body = try Fixture.json("seed002-post-request.json")
        edit(&body)
        return SpecValidator().validate(body: body, file: file)
    }

    func codes(_ edit: @escaping (inout JSONValue) -> Void) throws -> [String: [String]] {
        Dictionary(grouping: try diagnostics(edit), by: { $0.pointer?.description ?? "" }).mapValues { $0.map(\.code) }
    }

    @Test("the seed's POST body is clean")
    func seedIsClean() throws {
        #expect(try diagnostics().isEmpty)
    }

    @Test("each field a PUT needs is required, by pointer", arguments: ["name", "providerId", "version", "type", "authSpec", "sourceSpec", "exploreSpec"])
    func requiredFields(_ field: String) throws {
        let found = try diagnostics { $0.set(JSONPointer(tokens: [field]), to: nil) }
        let missing = try #require(found.first { $0.pointer == JSONPointer(tokens: [field]) })
        #expect(missing.severity == .error)
        #expect(missing.code == "missing-field")
        #expect(missing.message.contains("'\(field)'"))
        #expect(missing.help != nil)
    }

    @Test("wrong types and empty values are errors")
    func wrongTypes() throws {
        #expect(try codes { $0.set(JSONPointer("/name"), to: .number("1")) }["/name"] == ["wrong-type"])
        #expect(try codes { $0.set(JSONPointer("/name"), to: .string(" ")) }["/name"] == ["empty-field"])
        #expect(try codes { $0.set(JSONPointer("/authSpec"), to: .array([])) }["/authSpec"] == ["empty-field"])
    }

    @Test("authSpec entries need name, type and spec; unknown auth types warn")
    func authSpec() throws {
        let found = try codes {
            $0.set(JSONPointer("/authSpec/0/spec"), to: nil)
            $0.set(JSONPointer("/authSpec/1/type"), to: .string("ApiKey"))
        }
        #expect(found["/authSpec/0/spec"] == ["missing-field"])
        #expect(found["/authSpec/1/type"] == ["unknown-auth-type"])
        let warning = try diagnostics { $0.set(JSONPointer("/authSpec/1/type"), to: .string("ApiKey")) }.first
        #expect(warning?.severity == .warning)
    }

    @Test("urlParams needs a path and a GET or POST method")
    func urlParams() throws {
        let urlParams = "/sourceSpec/attributes/urlParams"
        #expect(try codes { $0.set(JSONPointer(urlParams + "/method"), to: .string("PUT")) }[urlParams + "/method"] == ["invalid-value"])
        #expect(try codes { $0.set(JSONPointer(urlParams + "/path"), to: nil) }[urlParams + "/path"] == ["missing-field"])
        #expect(try codes { $0.set(JSONPointer(urlParams), to: nil) }[urlParams] == ["missing-field"])
    }

    @Test("pagination types need their fields", arguments: [
        ("OFFSET", ["limitName": "count", "limitValue": "100"], "/offSetName"),
        ("POINTER", ["limitName": "count", "limitValue": "100"], "/pointerPath"),
        ("CONTINUATION_TOKEN", ["continuationTokenPath": "$.next"], "/parameterName"),
        ("PAGE", ["limitName": "count", "limitValue": "100"], "/pageParamName"),
    ])
    func paginationRequirements(_ type: String, _ fields: [String: String], _ missing: String) throws {
        let pagination = "/sourceSpec/attributes/paginationParams"
        let found = try diagnostics {
            var object = JSONObject(["type": .string(type)])
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
            $0.set(JSONPointer(pagination), to: .object(object))
        }
        #expect(found.map(\.pointer) == [JSONPointer(pagination + missing)])
        #expect(found.first?.message.contains(type) == true)
    }

    @Test("OFFSET accepts both spellings, NONE needs nothing, unknown types are errors")
    func paginationSpellings() throws {
        let pagination = "/sourceSpec/attributes/paginationParams"
        #expect(try diagnostics {
            $0.set(JSONPointer(pagination + "/offSetName"), to: nil)
            $0.set(JSONPointer(pagination + "/offsetName"), to: .string("offset"))
        }.isEmpty)
        #expect(try diagnostics { $0.set(JSONPointer(pagination), to: .object(JSONObject(["type": .string("NONE")]))) }.isEmpty)
        #expect(try codes { $0.set(JSONPointer(pagination + "/type"), to: .string("CURSOR")) }[pagination + "/type"] == ["invalid-value"])
    }

    @Test("scheduleParams need start and end names")
    func schedule() throws {
        let schedule = "/sourceSpec/attributes/scheduleParams"
        #expect(try codes { $0.set(JSONPointer(schedule + "/scheduleEndParamName"), to: nil) }[schedule + "/scheduleEndParamName"] == ["missing-field"])
        #expect(try codes { $0.set(JSONPointer(schedule + "/scheduleEndParamName"), to: .string("since_last_changed")) }[schedule] == ["schedule-same-names"])
    }

    @Test("${var} in urlParams or headerParams must be defined by a property")
    func variables() throws {
        let found = try diagnostics {
            $0.set(JSONPointer("/sourceSpec/attributes/urlParams/path"), to: .string("/3.0/lists/${listId}/${segment}"))
            $0.set(JSONPointer("/sourceSpec/attributes/headerParams"), to: .object(JSONObject(["X-Key": .string("${apiKey}")])))
        }
        #expect(found.map(\.message).sorted() == [
            "'${apiKey}' is not defined by any authSpec or sourceSpec property",
            "'${segment}' is not defined by any authSpec or sourceSpec property",
        ])
        #expect(found.allSatisfy { $0.severity == .warning })
        // ${domain} (auth spec) and ${listId} (source spec) are defined in the seed: no finding.
        #expect(SpecValidator.variableReferences(in: "https://${domain}.x/${listId}") == ["domain", "listId"])
    }

    @Test("unknown categories warn, with a suggestion when close")
    func category() throws {
        let pointer = "/sourceSpec/attributes/uiAttributes/category"
        let found = try diagnostics { $0.set(JSONPointer(pointer), to: .object(JSONObject(["key": .string("MarketingAutomation")]))) }
        #expect(found.first?.code == "unknown-category")
        #expect(found.first?.help == "did you mean 'marketingAutomation'?")
        #expect(try diagnostics { $0.set(JSONPointer(pointer), to: .object(JSONObject(["key": .string("crm")]))) }.isEmpty)
    }

    @Test("icons must be SVG without scripts or handlers, under 1 MiB", arguments: [
        (#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>"#, nil),
        ("<?xml version=\"1.0\"?>\n<svg><g/></svg>", nil),
        ("<svg><script>alert(1)</script></svg>", "icon-script"),
        (#"<svg onload="alert(1)"><g/></svg>"#, "icon-script"),
        (#"<svg><a href="javascript:alert(1)"><g/></a></svg>"#, "icon-script"),
        ("\u{89}PNG not an svg", "icon-not-svg"),
        ("<html><body/></html>", "icon-not-svg"),
        // Browsers start an attribute after '/' or a closing quote as well as after whitespace.
        ("<svg/onload=alert(1)>", "icon-script"),
        (#"<svg><a x="1"onclick="y"/></svg>"#, "icon-script"),
        ("<svg><SCRIPT>alert(1)</SCRIPT></svg>", "icon-script"),
        (#"<svg><a href="JavaScript:alert(1)"/></svg>"#, "icon-script"),
        ("<svg><text>café onion</text></svg>", nil),
    ] as [(String, String?)])
    func icons(_ text: String, _ code: String?) {
        let found = IconValidator().validate(BundleFile(path: "i.svg", bytes: Array(text.utf8)))
        #expect(found.map(\.code) == (code.map { [$0] } ?? []))
    }

    @Test("an icon over 1 MiB is an error; a label text mentioning 'onion=' outside a tag is fine")
    func iconSize() {
        let big = "<svg>" + String(repeating: " ", count: IconValidator.maximumSize) + "</svg>"
        #expect(IconValidator().validate(BundleFile(path: "i.svg", bytes: Array(big.utf8))).map(\.code) == ["icon-too-large"])
        #expect(IconValidator().validate(BundleFile(path: "i.svg", bytes: Array("<svg><text>x onion= y</text></svg>".utf8))).isEmpty)
    }

    @Test("icon findings say where: the first byte that is not UTF-8, the markup that runs code", arguments: [
        ([0x89, 0x50, 0x4E, 0x47], "i.svg:1:1"),
        (Array("<svg>\n  <g/>\n  <script>x</script></svg>".utf8), "i.svg:3:3"),
        (Array("<svg>\n<a\n   onclick = \"x\"/></svg>".utf8), "i.svg:3:4"),
        (Array("<svg>é<a href=\"javascript:x\"/></svg>".utf8), "i.svg:1:16"),
    ] as [([UInt8], String)])
    func iconPositions(_ bytes: [UInt8], _ location: String) {
        #expect(IconValidator().validate(BundleFile(path: "i.svg", bytes: bytes)).map(\.location) == [location])
    }

    @Test("an icon left unread for its size is reported by its size")
    func unreadIcon() {
        let found = IconValidator().validate(.unread(path: "i.svg", size: 9 << 20))
        #expect(found.map(\.message) == ["the icon is 9437184 bytes; the limit is 1 MiB"])
    }

    @Test("findings never quote a value that came from a secret (found by fuzzing)")
    func secretsStayOutOfFindings() throws {
        let spec = SampleBundle.spec(name: "$(env:SECRET)")
            .replacingOccurrences(of: #""method": "GET""#, with: #""method": "$(env:SECRET)""#)
            .replacingOccurrences(of: #""type": "OFFSET""#, with: #""type": "$(env:SECRET)""#)
            .replacingOccurrences(of: #""type": "BasicAuthentication""#, with: #""type": "$(env:SECRET)""#)
        let evaluator = BundleEvaluator(layout: BundleLayout(), customization: BodyCustomization(
            secrets: SecretLookup(environment: ["SECRET": "hunter2"])))
        let evaluated = evaluator.evaluate([
            Fixture.bundle("a", spec: spec, category: "$(env:SECRET)", icon: Fixture.validIcon),
            Fixture.bundle("b", spec: spec, icon: Fixture.validIcon),
        ])
        let findings = evaluated.flatMap(\.diagnostics)
        #expect(Set(findings.map(\.code)).isSuperset(of: ["invalid-value", "unknown-auth-type", "duplicate-name"]), "\(findings)")
        #expect(!findings.contains { $0.description.contains("hunter2") }, "\(findings)")
        #expect(evaluated[0].body?.name == "hunter2", "the body itself keeps the secret: it is what is sent")
    }

    @Test("two bundles with the same spec name are both errors naming each other")
    func duplicateNames() throws {
        let spec = try Fixture.bytes("seed002-post-request.json")
        let evaluated = BundleEvaluator(layout: BundleLayout()).evaluate([
            Fixture.bundle("a", spec: spec, icon: Fixture.validIcon),
            Fixture.bundle("b", spec: spec, icon: Fixture.validIcon),
            Fixture.bundle("c", spec: Array(String(decoding: spec, as: UTF8.self).replacingOccurrences(of: "MailChimp Members source", with: "Other").utf8), icon: Fixture.validIcon),
        ])
        let duplicates = evaluated.map { $0.diagnostics.filter { $0.code == "duplicate-name" } }
        #expect(duplicates[0].first?.message.contains("also used by b") == true)
        #expect(duplicates[1].first?.message.contains("also used by a") == true)
        #expect(duplicates[2].isEmpty)
        #expect(!evaluated[0].isSendable && evaluated[2].isSendable)
    }
}

extension JSONValue {
    /// Sets (or with nil removes) the value at `pointer`, creating objects on the way. Test helper.
    mutating func set(_ pointer: JSONPointer, to newValue: JSONValue?) {
        guard let first = pointer.tokens.first else { if let newValue { self = newValue }; return }
        let rest = JSONPointer(tokens: Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var object):
            if rest.tokens.isEmpty { object[first] = newValue } else {
                var child = object[first] ?? .object(JSONObject())
                child.set(rest, to: newValue)
                object[first] = child
            }
            self = .object(object)
        case .array(var array):
            guard let index = Int(first), array.indices.contains(index) else { return }
            if rest.tokens.isEmpty { if let newValue { array[index] = newValue } else { array.remove(at: index) } } else {
                array[index].set(rest, to: newValue)
            }
            self = .array(array)
        default:
            return
        }
    }
}
