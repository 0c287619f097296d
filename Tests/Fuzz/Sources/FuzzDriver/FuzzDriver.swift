#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's loop around one property check: each input's bytes go to `check`, and a non-empty
/// list of violations is a crash, so libFuzzer keeps the input (a trap in a conversion is one by
/// itself). Every fuzz target's `main` is one call of `run`.
public enum FuzzDriver {
    /// The check of this process: libFuzzer's callback is a C function and cannot capture it.
    nonisolated(unsafe) private static var check: ([UInt8]) -> [String] = { _ in [] }

    public static func run(_ check: @escaping ([UInt8]) -> [String]) -> Never {
        Self.check = check
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            let violations = FuzzDriver.check(bytes)
            if !violations.isEmpty { fatalError(violations.joined(separator: "; ")) }
            return 0
        })
    }
}

/// libFuzzer's driver, called from our own `main`: SwiftPM gives every executable a `main` of its
/// own, which would otherwise shadow libFuzzer's.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
