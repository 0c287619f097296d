// swift-tools-version:6.1
import PackageDescription

// The libFuzzer targets, a package of their own so that a sanitizer build compiles only what each
// target needs, never the rest of specsync. Built and run by Tests/Fuzz/run.sh:
// - SpecSyncFuzz: a file's bytes → replacement body and findings (SpecSyncCore, SpecSyncJSON, swift-crypto);
// - SpecSyncFuzzConfiguration: bytes as specsync.yaml → configuration or error (SpecSyncConfiguration,
//   which adds libyaml);
// - SpecSyncFuzzResponses: bytes as a server's answer → specs, connections, errors (SpecSyncTargets,
//   which brings AsyncHTTPClient and SwiftNIO into its build).
let package = Package(
    name: "specsync-fuzz",
    dependencies: [
        .package(name: "specsync", path: "../.."),
    ],
    targets: [
        // libFuzzer's loop around a property check: each target's main is one call of it.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "SpecSyncFuzz",
            dependencies: [
                "FuzzDriver",
                .product(name: "SpecSyncCore", package: "specsync"),
                .product(name: "SpecSyncJSON", package: "specsync"),
            ]
        ),
        .executableTarget(
            name: "SpecSyncFuzzConfiguration",
            dependencies: [
                "FuzzDriver",
                .product(name: "SpecSyncConfiguration", package: "specsync"),
                .product(name: "SpecSyncCore", package: "specsync"),
            ]
        ),
        .executableTarget(
            name: "SpecSyncFuzzResponses",
            dependencies: [
                "FuzzDriver",
                .product(name: "SpecSyncCore", package: "specsync"),
                .product(name: "SpecSyncJSON", package: "specsync"),
                .product(name: "SpecSyncTargets", package: "specsync"),
            ]
        ),
    ]
)
