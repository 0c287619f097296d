#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

/// A catalog icon must be a plain SVG: no scripts, no event handlers, at most 1 MiB. Findings about
/// markup carry the line and column where it starts.
public struct IconValidator: Sendable {
    public static let maximumSize = 1 << 20

    public init() {}

    public func validate(_ file: BundleFile) -> [Diagnostic] {
        func error(_ code: String, _ message: String, _ help: String, at offset: Int? = nil) -> [Diagnostic] {
            let position = offset.map { TextPosition(offset: $0, in: file.bytes) }
            return [Diagnostic(.error, code: code, file: file.path, line: position?.line, column: position?.column,
                               message: message, help: help)]
        }
        if file.isSymlink {
            return error("symlink", "the icon is a symbolic link; specsync reads regular files only",
                         "replace the link with the SVG file itself")
        }
        guard file.size <= Self.maximumSize else {
            return error("icon-too-large", "the icon is \(file.size) bytes; the limit is 1 MiB",
                         "simplify or optimise the SVG")
        }
        let bytes = file.bytes
        if let invalid = TextPosition.firstInvalidUTF8(in: bytes) {
            return error("icon-not-svg", "the icon is not UTF-8 text, so it is not an SVG", "export the icon as SVG", at: invalid)
        }
        let start = bytes.firstIndex { !Self.isSpace($0) }
        guard let start, bytes[start] == UInt8(ascii: "<"), Self.find("<svg", in: bytes) != nil else {
            return error("icon-not-svg", "the icon has no <svg> root element", "export the icon as SVG")
        }
        if let script = Self.find("<script", in: bytes) {
            return error("icon-script", "the icon contains a <script> element", "remove scripts from the SVG", at: script)
        }
        if let (handler, offset) = Self.eventHandler(in: bytes) {
            return error("icon-script", "the icon contains the event handler attribute '\(handler)'",
                         "remove event handler attributes (on…=) from the SVG", at: offset)
        }
        if let link = Self.find("javascript:", in: bytes) {
            return error("icon-script", "the icon contains a javascript: URL", "remove javascript: links from the SVG", at: link)
        }
        return []
    }

    /// The first `on…=` attribute in a tag and its offset. Browsers read markup names in ASCII without
    /// regard to case, and start an attribute after whitespace, a '/' or a closing quote
    /// (`<svg/onload=…>`, `<a x="1"onclick=…>`), so all of those count.
    static func eventHandler(in bytes: [UInt8]) -> (name: String, offset: Int)? {
        var insideTag = false
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "<"): insideTag = true
            case UInt8(ascii: ">"): insideTag = false
            default: break
            }
            guard insideTag, index > 0, index + 2 < bytes.count, Self.startsAttribute(after: bytes[index - 1]),
                  lowercase(bytes[index]) == UInt8(ascii: "o"), lowercase(bytes[index + 1]) == UInt8(ascii: "n") else { continue }
            var end = index + 2
            while end < bytes.count, isLetter(bytes[end]) { end += 1 }
            var afterName = end
            while afterName < bytes.count, isSpace(bytes[afterName]) { afterName += 1 }
            if end > index + 2, afterName < bytes.count, bytes[afterName] == UInt8(ascii: "=") {
                return (String(decoding: bytes[index..<end], as: UTF8.self).lowercased(), index)
            }
        }
        return nil
    }

    /// The offset of the first occurrence of the ASCII `needle`, ignoring ASCII case.
    static func find(_ needle: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(needle.utf8).map(lowercase)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where lowercase(bytes[start]) == pattern[0] {
            if (1..<pattern.count).allSatisfy({ lowercase(bytes[start + $0]) == pattern[$0] }) { return start }
        }
        return nil
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercase(byte))
    }

    /// HTML's whitespace: space, tab, line feed, form feed, carriage return.
    static func isSpace(_ byte: UInt8) -> Bool {
        [0x20, 0x09, 0x0A, 0x0C, 0x0D].contains(byte)
    }

    static func startsAttribute(after byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
