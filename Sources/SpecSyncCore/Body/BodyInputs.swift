#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

extension BodyCustomization {
    /// A fingerprint of the inputs besides git: the patches and every file in
    /// `$CREDENTIALS_DIRECTORY` (by content hash); nil when there are none. Environment variables are not part of it: a
    /// secret rotated through the environment is picked up when its bundle next changes.
    public func fingerprint(credentialsDirectory: String?) -> String? {
        let credentials = credentialsDirectory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0) } ?? []
        // Nothing besides git shapes the bodies: no fingerprint, as in a state written before any.
        guard patchAll != nil || !patchBundles.isEmpty || !credentials.isEmpty else { return nil }
        var parts: [UInt8] = []
        parts += patchAll?.canonicalBytes ?? []
        for key in patchBundles.keys.sorted() {
            parts += Array("\n\(key)=".utf8) + patchBundles[key]!.canonicalBytes
        }
        if let directory = credentialsDirectory,
           let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names.sorted() {
                guard let data = FileManager.default.contents(atPath: LocalPath.join(directory, name)) else { continue }
                parts += Array("\ncred:\(name)=".utf8) + Array(JSONValue.sha256Hex(Array(data)).utf8)
            }
        }
        return JSONValue.sha256Hex(parts)
    }
}
