// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "specsync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "specsync", targets: ["specsync"]),
        .library(name: "SpecSyncCore", targets: ["SpecSyncCore"]),
        .library(name: "SpecSyncGit", targets: ["SpecSyncGit"]),
        .library(name: "SpecSyncSource", targets: ["SpecSyncSource"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev).
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // A thin, thread-confined Swift wrapper over libgit2. Only Sendable values leave it.
        .target(
            name: "SpecSyncGit",
            dependencies: ["CLibgit2"]
        ),
        // Bundles, JSON, replacement bodies, validation, state, plan, configuration. No network, no git.
        .target(
            name: "SpecSyncCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Where bundles come from: a commit read through libgit2, or a directory on disk.
        .target(
            name: "SpecSyncSource",
            dependencies: ["SpecSyncCore", "SpecSyncGit"]
        ),
        .executableTarget(
            name: "specsync",
            dependencies: [
                "SpecSyncCore",
                "SpecSyncSource",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets: temporary directories, a `git` CLI driver, child processes.
        .target(
            name: "SpecSyncTestSupport",
            path: "Tests/SpecSyncTestSupport"
        ),
        .testTarget(name: "SpecSyncGitTests", dependencies: ["SpecSyncGit", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncCoreTests", dependencies: ["SpecSyncCore", "SpecSyncTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpecSyncSourceTests",
                    dependencies: ["SpecSyncSource", "SpecSyncCore", "SpecSyncGit", "SpecSyncTestSupport"]),
        .testTarget(name: "SpecSyncCLITests", dependencies: ["SpecSyncTestSupport"]),
    ]
)
