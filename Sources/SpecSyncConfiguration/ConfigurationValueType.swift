#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// What a configuration key holds, and how its text is checked: the same way whether it comes from
/// `specsync.yaml` or from a `SPECSYNC_…` variable.
public enum ConfigurationValueType: Sendable, Equatable {
    case string
    /// A file or folder, resolved against the configuration file's folder (a variable's against the
    /// current directory); `~` is the home folder.
    case path
    /// A file given as a path (resolved like `path`), or in the file as `{credential: NAME}` (the file
    /// NAME in `$CREDENTIALS_DIRECTORY`) or `{file: PATH}`.
    case file
    /// An http(s) URL with a host; a trailing `/` is dropped. A target's URLs also obey its cleartext rule.
    case url
    /// A git remote: any scheme, but never with a password in it.
    case repositoryURL
    /// A PostgreSQL URI (postgres:// or postgresql://), never with a password in it.
    case postgresURL
    case integer(ClosedRange<Int>)
    /// A number in the range, or the one word (`concurrency: adaptive`).
    case integerOrWord(ClosedRange<Int>, String)
    case number(ClosedRange<Double>)
    case boolean
    /// "500ms", "30s", "5m", "1h", "1d": positive, at most `ConfigurationLoader.maximumDuration`.
    case duration
    /// A duration, or "off".
    case durationOrOff
    case choice([String])
    /// A YAML list of strings (no variable).
    case strings
    /// `{credential: NAME}`, `{env: NAME}` or `{file: PATH}` (no variable: a secret's place is named in the file).
    case secret
    /// A YAML mapping of names to strings, or to paths resolved like `path` (no variable).
    case stringMap
    case pathMap

    /// Whether one `SPECSYNC_…` variable can carry a value of this type.
    public var isScalar: Bool {
        switch self {
        case .strings, .secret, .stringMap, .pathMap: false
        default: true
        }
    }

    /// What a value must be, for messages and the documentation.
    public var expected: String {
        switch self {
        case .string, .path: "a single value"
        case .file: "a path, {credential: NAME} or {file: PATH}"
        case .url: "an http(s) URL"
        case .repositoryURL: "a git remote URL"
        case .postgresURL: "a URL such as postgres://user@host:port/database"
        case .integer(let range): "a number from \(range.lowerBound) to \(range.upperBound)"
        case .integerOrWord(let range, let word): "a number from \(range.lowerBound) to \(range.upperBound), or \(word)"
        case .number(let range): "a number from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))"
        case .boolean: "true or false"
        case .duration: "a positive duration such as 500ms, 30s, 5m or 1h"
        case .durationOrOff: "a positive duration such as 500ms, 30s, 5m or 1h, or off"
        case .choice(let choices): choices.count == 2 ? "\(choices[0]) or \(choices[1])" : "one of \(choices.joined(separator: ", "))"
        case .strings: "a list"
        case .secret: "one of {credential: NAME}, {env: NAME} or {file: PATH}"
        case .stringMap: "a mapping of names to values"
        case .pathMap: "a mapping of names to files"
        }
    }

    /// Why a scalar's text is not a value of this type.
    public enum Problem: Error, Sendable, Equatable {
        /// Not what `expected` says.
        case unexpected
        /// A duration over the longest one specsync takes.
        case tooLong
        /// A remote URL with `user:password@`.
        case password
    }

    /// The value of a scalar's text (`path` values are resolved by the caller).
    public func scalar(_ text: String) -> Result<ConfigurationValue, Problem> {
        switch self {
        case .string, .path: return .success(.text(text))
        case .file: return .success(.file(.path(text)))
        case .url:
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host, !host.isEmpty else { return .failure(.unexpected) }
            return .success(.text(text.hasSuffix("/") ? String(text.dropLast()) : text))
        case .repositoryURL:
            if text.contains(/^[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\/@]*:[^\/@]*@/) { return .failure(.password) }
            return .success(.text(text))
        case .postgresURL:
            guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { return .failure(.unexpected) }
            if text.contains(/^[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\/@]*:[^\/@]*@/) { return .failure(.password) }
            return .success(.text(text))
        case .integer(let range):
            guard let value = Int(text), range.contains(value) else { return .failure(.unexpected) }
            return .success(.integer(value))
        case .integerOrWord(let range, let word):
            if text == word { return .success(.text(word)) }
            guard let value = Int(text), range.contains(value) else { return .failure(.unexpected) }
            return .success(.integer(value))
        case .number(let range):
            // `range.contains` is false for nan; inf and 1e999 are outside any finite range.
            guard let value = Double(text), range.contains(value) else { return .failure(.unexpected) }
            return .success(.number(value))
        case .boolean:
            switch text {
            case "true", "yes", "on": return .success(.boolean(true))
            case "false", "no", "off": return .success(.boolean(false))
            default: return .failure(.unexpected)
            }
        case .duration, .durationOrOff:
            if self == .durationOrOff && text == "off" { return .success(.duration(nil)) }
            switch ConfigurationLoader.checkDuration(text) {
            case .valid(let duration) where duration > .zero: return .success(.duration(duration))
            case .tooLong: return .failure(.tooLong)
            default: return .failure(.unexpected)
            }
        case .choice(let choices):
            return choices.contains(text) ? .success(.text(text)) : .failure(.unexpected)
        case .strings, .secret, .stringMap, .pathMap:
            return .failure(.unexpected)
        }
    }

    /// "0.01", "10000": a bound as the documentation writes it.
    static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// A configuration value, typed by its key's `ConfigurationValueType`.
public enum ConfigurationValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    /// nil: "off".
    case duration(Duration?)
    case strings([String])
    case secret(SecretReference)
    case map([String: String])
    case file(FileLocation)

    // Accessors for the table's setters: each key's type says which case its value is, so a
    // mismatch is a bug in the table, caught by the tests that read every key.
    public var text: String { if case .text(let value) = self { value } else { preconditionFailure("\(self) is not text") } }
    public var integer: Int { if case .integer(let value) = self { value } else { preconditionFailure("\(self) is not an integer") } }
    public var number: Double { if case .number(let value) = self { value } else { preconditionFailure("\(self) is not a number") } }
    public var boolean: Bool { if case .boolean(let value) = self { value } else { preconditionFailure("\(self) is not a boolean") } }
    public var duration: Duration? { if case .duration(let value) = self { value } else { preconditionFailure("\(self) is not a duration") } }
    public var strings: [String] { if case .strings(let value) = self { value } else { preconditionFailure("\(self) is not a list") } }
    public var secret: SecretReference { if case .secret(let value) = self { value } else { preconditionFailure("\(self) is not a secret") } }
    public var map: [String: String] { if case .map(let value) = self { value } else { preconditionFailure("\(self) is not a mapping") } }
    public var file: FileLocation { if case .file(let value) = self { value } else { preconditionFailure("\(self) is not a file") } }
}
