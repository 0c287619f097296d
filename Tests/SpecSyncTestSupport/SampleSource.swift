import Foundation

/// The stand-in third-party API of `Tests/SampleSource/sample_source.py` (acme orders, mailchimp
/// members and campaigns behind Basic or bearer auth), run as a child process on 127.0.0.1.
public final class SampleSource: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleSource/sample_source.py")

    public let port: Int
    private let process: Process

    public var origin: String { "http://127.0.0.1:\(port)" }

    public init(username: String = "verify", password: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--username", username, "--password", password]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var bytes: [UInt8] = []
        while let byte = output.fileHandleForReading.readData(ofLength: 1).first, byte != 0x0A { bytes.append(byte) }
        guard let port = Int(String(decoding: bytes, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessFailure(command: process.arguments ?? [], result: ProcessResult(
                status: -1, stdout: String(decoding: bytes, as: UTF8.self), stderr: "the sample source did not print its port"))
        }
        self.port = port
    }

    /// SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
