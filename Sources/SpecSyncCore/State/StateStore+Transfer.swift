/// The whole state as one JSON document, for `specsync state pull` and `push` (CI caches and
/// artifacts): the state file's own form, checksum included, so a document pulled and pushed back
/// unchanged is read as fast as the file.
extension StateStore {
    public static func document(of state: SyncState) -> [UInt8] {
        StateFileFormat.encode(state)
    }

    /// A pushed document, read as the state file would be; errors name `source` (e.g. "standard input").
    /// A document without a matching checksum is taken: pushing it is the explicit acceptance that an
    /// edited state file needs (its lineage and serial are still checked by `state push`).
    public static func state(fromDocument bytes: [UInt8], source: String) throws(StateError) -> SyncState {
        try StateStore(path: source, acceptsEditedFile: true).decode(bytes)
    }
}
