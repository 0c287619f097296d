/// A YAML document as composed from libyaml's events: every scalar is its text (the configuration
/// reader types values itself), aliases are replaced by the node they name, and every node knows
/// where it starts in the file, for error messages.
indirect enum YAMLNode: Sendable {
    case scalar(String, YAMLMark)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(key: YAMLNode, value: YAMLNode)], YAMLMark)

    var mark: YAMLMark {
        switch self {
        case .scalar(_, let mark), .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }
}

/// A position in a YAML file, both counted from 1.
struct YAMLMark: Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "\(line):\(column)" }
}
