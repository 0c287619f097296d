/// `targets.<name>.verify`: how `specsync verify` runs the Self-Serve Sources verification chain
/// (base connection, test, explore, optionally a source connection and a one-off dataflow) for
/// each bundle that has an entry. Values are strings; `$(env:NAME)` and `$(cred:NAME)` in them are
/// resolved when verify runs and are masked in every output.
public struct VerifySettings: Sendable, Equatable {
    /// One bundle's test connection.
    public struct Bundle: Sendable, Equatable {
        /// The authSpec entry's `name` the base connection uses (`auth.specName`); nil: the spec's first.
        public var authSpec: String?
        /// The base connection's `auth.params`.
        public var auth: [(String, String)] = []
        /// The source's `spec.properties` values: explore's `sourceParams`, the source connection's `params`.
        public var params: [(String, String)] = []

        public init(authSpec: String? = nil, auth: [(String, String)] = [], params: [(String, String)] = []) {
            self.authSpec = authSpec
            self.auth = auth
            self.params = params
        }

        public static func == (lhs: Bundle, rhs: Bundle) -> Bool {
            lhs.authSpec == rhs.authSpec && lhs.auth.elementsEqual(rhs.auth, by: ==) && lhs.params.elementsEqual(rhs.params, by: ==)
        }
    }

    /// `sync --once` verifies the bundles it created or updated that have an entry.
    public var afterSync = false
    /// Also create a source connection and a one-off dataflow, and await its run.
    public var dataflow = false
    /// How long a dataflow run may take before verify gives up on it.
    public var runTimeout: Duration = .seconds(300)
    /// Test connections by bundle name; bundles without one are not verified.
    public var bundles: [String: Bundle] = [:]

    public init() {}
}
