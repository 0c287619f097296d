import Foundation
import SpecSyncCore

/// One input through the whole path from bytes to replacement body and findings (`PipelineProbe`).
/// A broken property is a crash, so libFuzzer keeps the input.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for outcome in PipelineProbe.run(bytes) where !outcome.violations.isEmpty {
        fatalError("\(outcome.resource): \(outcome.violations.joined(separator: "; "))")
    }
    return 0
}

/// libFuzzer's driver, called from our own `main`: SwiftPM gives every executable a `main` of its
/// own, which would otherwise shadow libFuzzer's.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
