// swift-tools-version:6.1
import PackageDescription

// The libFuzzer target, a package of its own so that a sanitizer build compiles only SpecSyncCore
// and what it needs (swift-crypto, libyaml), never the rest of specsync. Built and run by Fuzz/run.sh.
let package = Package(
    name: "specsync-fuzz",
    dependencies: [
        .package(name: "specsync", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "SpecSyncFuzz",
            dependencies: [.product(name: "SpecSyncCore", package: "specsync")]
        ),
    ]
)
