import Foundation
import SpecSyncTestSupport
import Testing

@Suite("deploy/: the systemd unit and install.sh")
struct DeployTests {
    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// deploy/specsync.service with ExecStart pointing at a binary that exists here:
    /// `systemd-analyze verify` checks that every Exec*= command exists.
    func unitForVerification(in directory: TemporaryDirectory, extra: String = "") throws -> String {
        let unit = try String(contentsOfFile: PackageRoot.path("deploy/specsync.service"), encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/local/bin/specsync sync --config /etc/specsync/specsync.yaml\n"))
        let runnable = unit.replacingOccurrences(
            of: "\nExecStart=/usr/local/bin/specsync ", with: "\nExecStart=/bin/true ") + extra
        return try directory.write(runnable, to: "specsync.service").path
    }

    @Test("systemd-analyze verify accepts the unit without a single warning",
          .enabled(if: systemdAnalyze != nil, "systemd-analyze is missing: apt-get install systemd to run this check"))
    func verify() throws {
        let tool = try #require(Self.systemdAnalyze)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let unit = try unitForVerification(in: directory)
        let result = try ProcessRunner.run(tool, ["verify", "--man=no", unit])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.stderr)")

        // verify exits 0 even for unknown keys, so the empty stderr above is the real check:
        // make sure it does report a bad line here.
        let broken = try unitForVerification(in: directory, extra: "\n[Service]\nSetCredential=broken:\nNoSuchSetting=1\n")
        let complaint = try ProcessRunner.run(tool, ["verify", "--man=no", broken])
        #expect(complaint.stderr.contains("NoSuchSetting"))
        #expect(complaint.stderr.contains("Invalid syntax"))
    }

    @Test("systemd-analyze security rates the sandbox's exposure at most 1.1 of 10 (RELIABILITY.md)",
          .enabled(if: systemdAnalyze != nil, "systemd-analyze is missing: apt-get install systemd to run this check"))
    func exposure() throws {
        let tool = try #require(Self.systemdAnalyze)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let unit = try unitForVerification(in: directory)
        let result = try ProcessRunner.run(tool, ["security", "--offline=yes", "--threshold=11", unit])
        #expect(result.status == 0, "\(result.stdout.suffix(600))\(result.stderr)")
        #expect(result.stdout.contains("Overall exposure level for specsync.service"))
        // ProcSubset=pid alone moves the score by less than the rounding: name it (ProcSubsetTests runs the binary so).
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        #expect(text.contains("\nProcSubset=pid\n") && text.contains("\nPrivateMounts=yes\n"))
    }

    /// Every file and folder under `root`, relative, with its permission bits.
    func layout(of root: String) throws -> [String: Int] {
        var entries: [String: Int] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            entries[relative] = (attributes[.posixPermissions] as? Int) ?? -1
        }
        return entries
    }

    @Test("install.sh --root lays out exactly the expected files and keeps an edited configuration")
    func install() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.path + "/root"
        let script = PackageRoot.path("deploy/install.sh")
        let arguments = [script, "--root", root, "--binary", "/bin/true"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/bin:/bin"  // no systemctl is called with --root; a missing one must not matter
        environment.removeValue(forKey: "DESTDIR")

        let first = try ProcessRunner.checked("/bin/bash", arguments, environment: environment)
        #expect(first.stdout.contains("systemctl enable --now specsync"))
        #expect(try layout(of: root) == [
            "usr": 0o755, "usr/local": 0o755, "usr/local/bin": 0o755, "usr/local/bin/specsync": 0o755,
            "etc": 0o755, "etc/systemd": 0o755, "etc/systemd/system": 0o755,
            "etc/systemd/system/specsync.service": 0o644,
            "etc/specsync": 0o755, "etc/specsync/specsync.yaml": 0o644, "etc/specsync/specsync.yaml.example": 0o644,
            "etc/specsync/credentials": 0o700, "etc/specsync/credentials/README": 0o644,
        ])
        let installed = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)) }
        let source = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path(path))) }
        #expect(try installed("usr/local/bin/specsync") == Data(contentsOf: URL(fileURLWithPath: "/bin/true")))
        #expect(try installed("etc/systemd/system/specsync.service") == source("deploy/specsync.service"))
        #expect(try installed("etc/specsync/specsync.yaml") == source("Config/specsync.yaml"))
        #expect(try String(decoding: installed("etc/specsync/credentials/README"), as: UTF8.self).contains("ims-client-secret"))

        // The operator edits the configuration; a second run (an upgrade) keeps it and changes nothing else.
        let config = URL(fileURLWithPath: root + "/etc/specsync/specsync.yaml")
        try Data("repository:\n  path: /var/lib/specsync/repository\n".utf8).write(to: config)
        let before = try layout(of: root)
        let second = try ProcessRunner.checked("/bin/bash", arguments, environment: environment)
        #expect(second.stderr.contains("kept the existing"))
        #expect(try String(contentsOf: config, encoding: .utf8) == "repository:\n  path: /var/lib/specsync/repository\n")
        #expect(try layout(of: root) == before)
        #expect(try installed("etc/specsync/specsync.yaml.example") == source("Config/specsync.yaml"))
    }

    @Test("install.sh --prefix moves the binary and the unit's ExecStart together")
    func prefix() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.path + "/root"
        try ProcessRunner.checked("/bin/bash", [
            PackageRoot.path("deploy/install.sh"), "--root", root, "--binary", "/bin/true", "--prefix", "/opt/specsync",
        ])
        #expect(FileManager.default.isExecutableFile(atPath: root + "/opt/specsync/bin/specsync"))
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/specsync.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/opt/specsync/bin/specsync sync --config /etc/specsync/specsync.yaml\n"))
    }

    @Test("install.sh refuses a binary that does not exist and an unknown option")
    func refusals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = PackageRoot.path("deploy/install.sh")
        let missing = try ProcessRunner.run("/bin/bash", [script, "--root", directory.path, "--binary", directory.path + "/none"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("is not an executable file"))
        let unknown = try ProcessRunner.run("/bin/bash", [script, "--frobnicate"])
        #expect(unknown.status == 2)
    }
}
