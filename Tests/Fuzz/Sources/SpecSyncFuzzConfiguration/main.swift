import Foundation
import SpecSyncConfiguration
import SpecSyncCore

/// One input as `specsync.yaml` through the configuration loader (`ConfigurationProbe`). A broken
/// property is a crash, so libFuzzer keeps the input; a trap in a conversion is one by itself.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let violations = ConfigurationProbe.run(bytes)
    if !violations.isEmpty { fatalError(violations.joined(separator: "; ")) }
    return 0
}

/// libFuzzer's driver, called from our own `main` (see SpecSyncFuzz/main.swift).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
