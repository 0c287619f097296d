enum SpecSyncVersion {
    static let current = "0.1.0"
}
