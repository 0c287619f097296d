import SpecSyncJSON

extension VerifySettings.Bundle {
    /// `values` as a JSON object with `$(env:…)`/`$(cred:…)` resolved (and registered as secrets),
    /// and the references that could not be, as "auth.password: $(cred:x)".
    public static func resolve(_ values: [(String, String)], section: String, lookup: SecretLookup) -> (JSONObject, unresolved: [String]) {
        let customization = BodyCustomization(secrets: lookup)
        var object = JSONObject()
        var unresolved: [String] = []
        for (name, text) in values {
            var path: [String] = []
            var sensitive: Set<JSONPointer> = []
            var missing: [(JSONPointer, String)] = []
            object[name] = customization.resolve(.string(text), path: &path, sensitive: &sensitive, unresolved: &missing) ?? .string(text)
            unresolved += missing.map { "\(section).\(name): \($0.1)" }
        }
        return (object, unresolved)
    }
}
