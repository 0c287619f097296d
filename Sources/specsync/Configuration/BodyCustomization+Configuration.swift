#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

extension BodyCustomization {
    /// Reads a target's patch files (strict JSON, each an object).
    public static func load(patchAll: String?, patchBundles: [String: String], secrets: SecretLookup?) throws -> BodyCustomization {
        func read(_ path: String) throws -> JSONValue {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(source: path, location: nil, message: "cannot read the patch file")
            }
            let value: JSONValue
            do { value = try JSONParser().parse(data) } catch {
                throw ConfigurationError(source: path, location: "\(error.line):\(error.column)", message: error.message)
            }
            guard case .object = value else {
                throw ConfigurationError(source: path, location: nil, message: "a merge patch must be a JSON object")
            }
            return value
        }
        return BodyCustomization(
            patchAll: try patchAll.map(read), patchBundles: try patchBundles.mapValues(read), secrets: secrets)
    }
}
