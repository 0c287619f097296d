import SpecSyncCore

extension ConfigurationLoader {
    /// `verify: {afterSync, dataflow, runTimeout, bundles: {NAME: {authSpec, auth: {…}, params: {…}}}}`.
    func readVerify(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> VerifySettings {
        var settings = VerifySettings()
        for (key, value) in try reader.mapping(node, path: path, allowed: ["afterSync", "dataflow", "runTimeout", "bundles"]) {
            switch key {
            case "afterSync": settings.afterSync = try self.value(value, type: .boolean, path: path + ".afterSync", reader: reader, base: currentDirectory).boolean
            case "dataflow": settings.dataflow = try self.value(value, type: .boolean, path: path + ".dataflow", reader: reader, base: currentDirectory).boolean
            case "runTimeout": settings.runTimeout = try self.value(value, type: .duration, path: path + ".runTimeout", reader: reader, base: currentDirectory).duration!
            default:
                guard case .mapping(let bundles, _) = value else { throw reader.error(value, "\(path).bundles must map bundle names to test connections") }
                for (nameNode, bundleNode) in bundles {
                    let name = try reader.string(nameNode, path: path + ".bundles")
                    let bundlePath = "\(path).bundles.\(name)"
                    var bundle = VerifySettings.Bundle()
                    for (field, fieldNode) in try reader.mapping(bundleNode, path: bundlePath, allowed: ["authSpec", "auth", "params"]) {
                        switch field {
                        case "authSpec": bundle.authSpec = try reader.string(fieldNode, path: bundlePath + ".authSpec")
                        case "auth": bundle.auth = try readValues(fieldNode, path: bundlePath + ".auth", reader: reader)
                        default: bundle.params = try readValues(fieldNode, path: bundlePath + ".params", reader: reader)
                        }
                    }
                    settings.bundles[name] = bundle
                }
            }
        }
        return settings
    }

    private func readValues(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> [(String, String)] {
        guard case .mapping(let mapping, _) = node else { throw reader.error(node, "\(path) must map names to values") }
        var values: [(String, String)] = []
        for (key, value) in mapping {
            let name = try reader.string(key, path: path)
            values.append((name, try reader.string(value, path: "\(path).\(name)")))
        }
        return values
    }
}
