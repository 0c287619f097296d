/// The files of a bundle, `<root>/<source>/Artifacts/<source><suffix>`.
public enum BundleFileKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case spec
    case label
    case description
    case category
    case icon

    public var suffix: String {
        switch self {
        case .spec: "-connectionSpec.json"
        case .label: "-label.txt"
        case .description: "-description.txt"
        case .category: "-category.txt"
        case .icon: "-icon.svg"
        }
    }

    public static func < (lhs: BundleFileKind, rhs: BundleFileKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
