import Foundation
@testable import SpecSyncConfiguration
import SpecSyncCore
import Testing

/// The one table of configuration keys (`ConfigurationKeys`): the file and the `SPECSYNC_…`
/// variables are read through it, so they cannot drift apart, and every key it holds is documented.
@Suite("the configuration key table")
struct ConfigurationKeyTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let source = "/work/repo/specsync.yaml"

    /// A value of `type` that differs from the default where it can.
    static func sample(_ path: String, _ type: ConfigurationValueType) -> String {
        if path == "defaultTarget" { return "default" }
        // postgres needs state.postgres (a rule across keys, checked once the file is read).
        if path == "state.backend" { return "file" }
        switch type {
        case .string: return "sample"
        case .path, .file: return "/srv/sample"
        case .url: return "https://sample.example/base"
        case .repositoryURL: return "https://git.example/sample.git"
        case .postgresURL: return "postgres://specsync@db.example:5432/specsync"
        case .integer(let range), .integerOrWord(let range, _): return String(range.upperBound)
        case .number(let range): return ConfigurationValueTypeText.text(range.upperBound)
        case .boolean: return "true"
        case .duration, .durationOrOff: return "7s"
        case .choice(let choices): return choices.last!
        case .strings, .secret, .stringMap, .pathMap: return ""
        }
    }

    /// `a.b.c: value` pairs as YAML blocks under `indent`, sections shared.
    static func yaml(_ pairs: [(path: String, value: String)], indent: Int = 0) -> String {
        var text = ""
        var open: [Substring] = []
        for (path, value) in pairs {
            let components = path.split(separator: ".")
            let shared = zip(open, components.dropLast()).prefix { $0 == $1 }.count
            for (depth, component) in components.enumerated().dropFirst(shared) {
                let pad = String(repeating: " ", count: indent + 2 * depth)
                text += depth == components.count - 1 ? "\(pad)\(component): '\(value)'\n" : "\(pad)\(component):\n"
            }
            open = Array(components.dropLast())
        }
        return text
    }

    static func yaml(_ path: String, _ value: String, indent: Int = 0) -> String { yaml([(path, value)], indent: indent) }

    /// What a key needs beside it: a section's required key.
    static func companions<Root>(of key: ConfigurationKey<Root>, in table: [ConfigurationKey<Root>]) -> [ConfigurationKey<Root>] {
        let section = key.path.split(separator: ".").dropLast()
        return table.filter { $0.isRequired && $0.path != key.path && $0.path.split(separator: ".").dropLast() == section }
    }

    static func targetFile(kind: TargetSettings.Kind, extra: String = "") -> String {
        "targets:\n  t-1:\n    kind: \(kind.rawValue)\n" + extra
    }

    static func loader(_ environment: [String: String] = [:]) -> ConfigurationLoader {
        ConfigurationLoader(environment: environment, currentDirectory: "/work/repo")
    }

    @Test("every single-valued global key set from the file and from its variable gives the same configuration")
    func globalKeysAlike() throws {
        for key in ConfigurationKeys.global {
            guard let variable = key.variable else { continue }
            let value = Self.sample(key.path, key.type)
            let companions = Self.companions(of: key, in: ConfigurationKeys.global)
            let pairs = companions.map { ($0.path, Self.sample($0.path, $0.type)) } + [(key.path, value)]
            var fromFile = try Self.loader().parse(Self.yaml(pairs), source: Self.source)
            var fromVariable = try Self.loader().parse("", source: Self.source)
            var environment = [variable: value]
            for companion in companions { environment[try #require(companion.variable)] = Self.sample(companion.path, companion.type) }
            try Self.loader(environment).applyEnvironment(to: &fromVariable)
            // A url in the file also moves the default ref to origin/main and the clone into the
            // state directory (for a variable, `load` does the latter).
            if key.path == "repository.url" {
                fromFile.repository.ref = fromVariable.repository.ref
                fromFile.repository.path = fromVariable.repository.path
            }
            fromFile.source = nil
            fromVariable.source = nil
            #expect(fromFile == fromVariable, "\(key.path) / \(variable)")
        }
    }

    @Test("every single-valued target key set from the file and from its variable gives the same target")
    func targetKeysAlike() throws {
        for key in ConfigurationKeys.target {
            guard let suffix = key.variable else { continue }
            let kind = key.kind ?? .flowService
            let value = Self.sample(key.path, key.type)
            let fromFile = try Self.loader().parse(Self.targetFile(kind: kind, extra: Self.yaml(key.path, value, indent: 4)), source: Self.source)
            var fromVariable = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
            let variable = "SPECSYNC_TARGETS_T_1_" + suffix
            #expect(key.variable(forTarget: "t-1") == variable)
            try Self.loader([variable: value]).applyEnvironment(to: &fromVariable)
            #expect(fromFile.targets == fromVariable.targets, "\(key.path) / \(variable)")
        }
    }

    @Test("state.postgres.url's form is checked in the file and in SPECSYNC_STATE_POSTGRES_URL alike: postgres://, never a password")
    func postgresURLAlike() throws {
        for (url, words) in [("https://db.example/specsync", "must be a URL such as postgres://"),
                             ("postgres://specsync:pw@db.example/specsync", "holds a password")] {
            let file = try #require(throws: ConfigurationError.self) {
                try Self.loader().parse("state:\n  backend: postgres\n  postgres:\n    url: \(url)\n", source: Self.source)
            }
            #expect(file.description.contains("specsync.yaml:4:10: 'state.postgres.url'") && file.message.contains(words), "\(file)")
            var configuration = try Self.loader().parse("state:\n  directory: /srv\n", source: Self.source)
            let variable = try #require(throws: ConfigurationError.self) {
                try Self.loader(["SPECSYNC_STATE_POSTGRES_URL": url]).applyEnvironment(to: &configuration)
            }
            #expect(variable.description.hasPrefix("SPECSYNC_STATE_POSTGRES_URL: "), "\(variable)")
            #expect(!variable.description.contains(":pw@"), "the password is not repeated: \(variable)")
        }
    }

    @Test("a range applies to the file and to the variable alike (requestsPerSecond was checked in the file only)")
    func rangesAlike() throws {
        var checked = 0
        for key in ConfigurationKeys.target {
            let beyond: String
            switch key.type {
            case .integer(let range), .integerOrWord(let range, _): beyond = String(range.upperBound + 1)
            case .number(let range): beyond = ConfigurationValueTypeText.text(range.upperBound * 10)
            default: continue
            }
            let kind = key.kind ?? .flowService
            let file = try #require(throws: ConfigurationError.self) {
                try Self.loader().parse(Self.targetFile(kind: kind, extra: Self.yaml(key.path, beyond, indent: 4)), source: Self.source)
            }
            #expect(file.message.contains("'targets.t-1.\(key.path)' must be \(key.type.expected), found '\(beyond)'"), "\(file)")
            let variable = try #require(key.variable(forTarget: "t-1"))
            var configuration = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
            let environment = try #require(throws: ConfigurationError.self) {
                try Self.loader([variable: beyond]).applyEnvironment(to: &configuration)
            }
            #expect(environment.description == "\(variable): '\(beyond)' is not \(key.type.expected)")
            checked += 1
        }
        for key in ConfigurationKeys.global {
            guard case .integer(let range) = key.type, let variable = key.variable else { continue }
            var configuration = try Self.loader().parse("", source: Self.source)
            let error = try #require(throws: ConfigurationError.self) {
                try Self.loader([variable: String(range.upperBound + 1)]).applyEnvironment(to: &configuration)
            }
            #expect(error.description.hasPrefix("\(variable): "), "\(error)")
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test("a URL from the environment is validated as the file's is: http(s) with a host, and the cleartext rule")
    func environmentURLs() throws {
        for key in ConfigurationKeys.target where key.type == .url {
            let kind = try #require(key.kind)
            let variable = try #require(key.variable(forTarget: "t-1"))
            for bad in ["ftp://example.com/x", "not a url", "https://"] {
                var configuration = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
                let error = try #require(throws: ConfigurationError.self) { try Self.loader([variable: bad]).applyEnvironment(to: &configuration) }
                #expect(error.description == "\(variable): '\(bad)' is not an http(s) URL", "\(error)")
            }
            var configuration = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
            let cleartext = try #require(throws: ConfigurationError.self) {
                try Self.loader([variable: "http://10.1.2.3/api"]).applyEnvironment(to: &configuration)
            }
            #expect(cleartext.message.contains("plain http to a host that is not loopback"), "\(cleartext)")
            // Allowed by the target's http.allowInsecureHTTP, from the environment too, whatever the order of the variables.
            var allowed = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
            try Self.loader([variable: "http://10.1.2.3/api/", "SPECSYNC_TARGETS_T_1_HTTP_ALLOW_INSECURE_HTTP": "true"]).applyEnvironment(to: &allowed)
            #expect(allowed.targets[0].http.allowInsecureHTTP)
        }
    }

    @Test("a variable of another kind's section is refused in words (FLOW_SERVICE_* for a Flxpoint or Versori target)")
    func otherKindsVariables() throws {
        var refused = 0
        for kind in [TargetSettings.Kind.flxpoint, .versori, .flowService] {
            for key in ConfigurationKeys.target {
                guard let keyKind = key.kind, keyKind != kind, let variable = key.variable(forTarget: "t-1") else { continue }
                var configuration = try Self.loader().parse(Self.targetFile(kind: kind), source: Self.source)
                let value = Self.sample(key.path, key.type)
                let error = try #require(throws: ConfigurationError.self) { try Self.loader([variable: value]).applyEnvironment(to: &configuration) }
                let section = String(key.path.split(separator: ".")[0])
                #expect(error.description == "\(variable): targets.t-1 is a \(kind.rawValue) target; its '\(section)' settings would be ignored: set kind: \(keyKind.rawValue) in the configuration, or unset \(variable)", "\(error)")
                refused += 1
            }
        }
        #expect(refused > 20)
    }

    @Test("every key of the table is in Config/specsync.yaml (set or in a comment), and every variable in README's list")
    func documented() throws {
        let example = try String(contentsOf: Self.root.appendingPathComponent("Config/specsync.yaml"), encoding: .utf8)
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        func mentions(_ components: [String], from start: String) -> Bool {
            guard var position = example.range(of: start)?.upperBound else { return false }
            for component in components {
                guard let found = Self.key(component, in: example, from: position) else { return false }
                position = found
            }
            return true
        }
        for key in ConfigurationKeys.global {
            #expect(mentions(key.path.split(separator: ".").map(String.init), from: "\n"), "\(key.path) is not in Config/specsync.yaml")
            if let variable = key.variable { #expect(readme.contains("`\(variable)`"), "\(variable) is not in README.md") }
            #expect(readme.contains("`\(key.path)`"), "\(key.path) is not in README.md")
        }
        for key in ConfigurationKeys.target {
            let start = switch key.kind {
            case .flxpoint: "kind: flxpoint"
            case .versori: "kind: versori"
            default: "\ntargets:"
            }
            #expect(mentions(key.path.split(separator: ".").map(String.init), from: start), "targets.<name>.\(key.path) is not in Config/specsync.yaml")
            if let variable = key.variable { #expect(readme.contains("`SPECSYNC_TARGETS_<NAME>_\(variable)`"), "\(variable) is not in README.md") }
            #expect(readme.contains("`targets.<name>.\(key.path)`"), "targets.<name>.\(key.path) is not in README.md")
        }
    }

    /// The end of the first `name:` at or after `start` that is a key (not the end of a longer word).
    static func key(_ name: String, in text: String, from start: String.Index) -> String.Index? {
        var position = start
        while let found = text.range(of: "\(name):", range: position..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? " " : text[text.index(before: found.lowerBound)]
            if !(before.isLetter || before.isNumber) { return found.upperBound }
            position = found.upperBound
        }
        return nil
    }
}

/// The documentation's spelling of a bound (`ConfigurationValueType.expected` uses the same).
enum ConfigurationValueTypeText {
    static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
