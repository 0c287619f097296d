// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "specsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "specsync", targets: ["specsync"]),
        // For Tests/Fuzz/: the JSON parser, the core pipeline and the configuration loader are fuzzed there.
        .library(name: "SpecSyncJSON", targets: ["SpecSyncJSON"]),
        .library(name: "SpecSyncCore", targets: ["SpecSyncCore"]),
        .library(name: "SpecSyncConfiguration", targets: ["SpecSyncConfiguration"]),
        .library(name: "SpecSyncGit", targets: ["SpecSyncGit"]),
        .library(name: "SpecSyncSource", targets: ["SpecSyncSource"]),
        // For Tests/Fuzz/: the response decoders are fuzzed there.
        .library(name: "SpecSyncTargets", targets: ["SpecSyncTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // Already in the graph through AsyncHTTPClient: `http.caFile`'s certificates.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        // Already in the graph through Hummingbird: NIOHTTPTypes for the endpoints' request-head timeout.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // Traits off: the emulator needs neither swift-configuration nor full Foundation from Hummingbird.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev).
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // libyaml from the system (Debian: libyaml-dev): the configuration's YAML parser.
        .systemLibrary(
            name: "CLibyaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // libpq from the system (Debian: libpq-dev): the PostgreSQL state backend's client. Not
        // postgres-nio: it imports Foundation, which would load libFoundation and ICU into the daemon.
        // Its header only (no pkg-config, so no -lpq): the library itself is dlopen'ed when the
        // postgres backend is used (SpecSyncPostgres/LibPQ.swift), never at every start.
        .systemLibrary(
            name: "CLibpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // glibc's <malloc.h>, for malloc_trim after a daemon pass (SpecSyncService/HeapTrim.swift).
        .systemLibrary(name: "CGlibcMalloc"),
        // A thin, thread-confined Swift wrapper over libgit2. Only Sendable values leave it.
        .target(
            name: "SpecSyncGit",
            dependencies: ["CLibgit2", .product(name: "Crypto", package: "swift-crypto")]  // known_hosts hashes
        ),
        // The JSON value, a strict parser with positions, the canonical form and its SHA-256. Pure; fuzzed.
        .target(
            name: "SpecSyncJSON",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Bundles, replacement bodies, validation, the state model. No network, no git, no configuration.
        .target(
            name: "SpecSyncCore",
            dependencies: ["SpecSyncJSON", "CCRC32C"]
        ),
        // CRC-32C, the state file's checksum (SpecSyncCore/State/StateChecksum.swift).
        .target(name: "CCRC32C"),
        // specsync.yaml and SPECSYNC_ variables, read into `Configuration`. Used by the executable and the
        // daemon only; the executable maps it into each library's own options (Sources/specsync/Configuration).
        .target(
            name: "SpecSyncConfiguration",
            dependencies: ["CLibyaml", "SpecSyncCore", "SpecSyncJSON"]
        ),
        // Where bundles come from: a commit read through libgit2, or a directory on disk.
        .target(
            name: "SpecSyncSource",
            dependencies: ["SpecSyncCore", "SpecSyncJSON", "SpecSyncGit"]
        ),
        // One adapter per remote API behind one protocol: Flow Service with IMS tokens; retries, pacing, error shapes.
        .target(
            name: "SpecSyncTargets",
            dependencies: [
                "SpecSyncCore", "SpecSyncJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Runs a connection spec's sourceSpec against the third-party API it describes (`specsync preview`).
        .target(
            name: "SpecSyncSourceRuntime",
            dependencies: ["SpecSyncJSON", "SpecSyncCore", "SpecSyncTargets"]
        ),
        // What the HTTP servers of the package share.
        .target(name: "SpecSyncServerSupport"),
        // A faithful local Flow Service + IMS for tests and the no-credentials demo.
        .target(
            name: "SpecSyncEmulator",
            dependencies: [
                "SpecSyncCore", "SpecSyncJSON", "SpecSyncServerSupport",
                "SpecSyncSourceRuntime",  // verification runs the spec as preview does
                .product(name: "Hummingbird", package: "hummingbird"),
                // `--tls-certificate`: HTTPS with HTTP/2 by ALPN, or HTTP/1.1 only. swift-nio-ssl and
                // swift-nio-http2 are in the graph already through AsyncHTTPClient.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // One pass: plan against the state, apply through a target, record after every success.
        .target(
            name: "SpecSyncEngine",
            dependencies: [
                "SpecSyncCore", "SpecSyncJSON", "SpecSyncSource", "SpecSyncGit", "SpecSyncTargets",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // systemd integration without libsystemd: sd_notify datagrams, the watchdog, journald and JSON logs.
        .target(
            name: "SpecSyncSystemd",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The daemon's HTTP face: health, readiness, Prometheus metrics, the signed git webhook.
        .target(
            name: "SpecSyncHTTPEndpoints",
            dependencies: [
                "SpecSyncServerSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Notifications after a pass: signed webhooks and Slack-compatible hooks, retried within a timeout.
        .target(
            name: "SpecSyncNotify",
            dependencies: [
                "SpecSyncJSON", "SpecSyncCore", "SpecSyncEngine", "SpecSyncTargets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The state in PostgreSQL: rows, an advisory lock per target, migrations. Linked by the daemon
        // and the executable only.
        .target(
            name: "SpecSyncPostgres",
            dependencies: [
                "CLibpq", "SpecSyncJSON", "SpecSyncCore", "SpecSyncTargets",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The long-running `specsync sync`: triggers, coalesced passes, per-bundle backoff, drift.
        .target(
            name: "SpecSyncService",
            dependencies: [
                "SpecSyncCore", "SpecSyncJSON", "SpecSyncConfiguration", "SpecSyncSource", "SpecSyncGit", "SpecSyncTargets",
                "SpecSyncEngine", "SpecSyncSystemd", "SpecSyncHTTPEndpoints", "SpecSyncNotify", "SpecSyncPostgres", "CGlibcMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "specsync",
            dependencies: [
                "SpecSyncCore",
                "SpecSyncJSON",
                "SpecSyncConfiguration",
                "SpecSyncGit",
                "SpecSyncSource",
                "SpecSyncTargets",
                "SpecSyncEmulator",
                "SpecSyncEngine",
                "SpecSyncService",
                "SpecSyncPostgres",
                "SpecSyncSystemd",
                "SpecSyncHTTPEndpoints",
                "SpecSyncSourceRuntime",
                "SpecSyncNotify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Each flag takes ~1.1 MB off the idle daemon's resident memory (BENCHMARKS.md, "Idle daemon").
            // lld (shipped with the Swift toolchain) packs the binary's 46,000 relative relocations into a
            // 12 KB DT_RELR table (needs glibc 2.36, Debian 12) instead of 1.1 MB of `.rela.dyn` that the
            // loader reads at every start and that stays resident. Segments aligned to 64 KB make each
            // fault map one 64 KB page-cache folio of the installed binary instead of straddling two.
            linkerSettings: [.unsafeFlags([
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                "-Xlinker", "-z", "-Xlinker", "max-page-size=65536",
            ])]
        ),
        // Measurements taken in process for Tests/Benchmarks/run.sh; never part of the tests.
        .executableTarget(
            name: "specsync-benchmark",
            dependencies: ["SpecSyncCore", "SpecSyncJSON", "SpecSyncGit", "SpecSyncSource"],
            path: "Tests/Benchmarks/Harness"
        ),
        // Helpers shared by the test targets: temporary directories, a `git` CLI driver, child processes.
        .target(
            name: "SpecSyncTestSupport",
            path: "Tests/SpecSyncTestSupport"
        ),
        .testTarget(name: "SpecSyncGitTests", dependencies: ["SpecSyncGit", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncCoreTests", dependencies: ["SpecSyncCore", "SpecSyncJSON", "CCRC32C", "SpecSyncConfiguration", "SpecSyncTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpecSyncSourceTests",
                    dependencies: ["SpecSyncSource", "SpecSyncCore", "SpecSyncGit", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncCLITests", dependencies: ["SpecSyncTestSupport", "SpecSyncEmulator", "SpecSyncCore", "SpecSyncJSON"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SpecSyncTargetsTests",
                    dependencies: ["SpecSyncTargets", "SpecSyncEmulator", "SpecSyncCore", "SpecSyncJSON", "SpecSyncConfiguration",
                                   "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncEmulatorTests",
                    dependencies: ["SpecSyncEmulator", "SpecSyncCore", "SpecSyncJSON", "SpecSyncTestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        .testTarget(name: "SpecSyncEngineTests",
                    dependencies: ["SpecSyncEngine", "SpecSyncEmulator", "SpecSyncTargets", "SpecSyncSource",
                                   "SpecSyncCore", "SpecSyncJSON", "SpecSyncConfiguration", "SpecSyncGit", "SpecSyncTestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SpecSyncSourceRuntimeTests",
                    dependencies: ["SpecSyncJSON", "SpecSyncSourceRuntime", "SpecSyncEmulator", "SpecSyncCore", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncSystemdTests", dependencies: ["SpecSyncSystemd", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncHTTPEndpointsTests",
                    dependencies: ["SpecSyncHTTPEndpoints", "SpecSyncTestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                   .product(name: "Logging", package: "swift-log")]),
        // Crashes, faults, secrets and resources: the real binary against an emulator process.
        .testTarget(name: "SpecSyncReliabilityTests",
                    dependencies: ["SpecSyncEmulator", "SpecSyncCore", "SpecSyncJSON", "SpecSyncTestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "NIOCore", package: "swift-nio")]),
        // The PostgreSQL state backend against a throwaway cluster; the CLI on it against the emulator.
        .testTarget(name: "SpecSyncPostgresTests",
                    dependencies: ["SpecSyncPostgres", "SpecSyncService", "SpecSyncConfiguration", "SpecSyncJSON", "SpecSyncEngine", "SpecSyncCore", "SpecSyncTargets", "SpecSyncEmulator",
                                   "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncServiceTests",
                    dependencies: ["SpecSyncService", "SpecSyncEmulator", "SpecSyncTestSupport", "SpecSyncCore", "SpecSyncJSON",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client")]),
    ]
)

// The `specsync` binary loads FoundationEssentials only, not libFoundation, FoundationInternationalization
// and ICU (8.6 MB of an idle daemon's resident memory, BENCHMARKS.md): our modules import
// FoundationEssentials, and no dependency of the binary imports Foundation (hence swift-crypto 4).
// A module sees only the members of modules it imports itself, so a Foundation-only string method
// cannot slip in through a module that some test or tool imports; a test in `DaemonTests` checks
// the running daemon's mappings.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
