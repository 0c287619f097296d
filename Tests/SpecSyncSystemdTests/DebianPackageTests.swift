import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncTestSupport
import Testing

/// deploy/package.sh end to end: a release build packaged twice (version N and N+1), lintian, and
/// dpkg installing, upgrading, removing and purging it in a throwaway root. One test, because the
/// release build takes minutes; it runs as root (dpkg refuses otherwise) with dpkg-dev and lintian.
@Suite("deploy/package.sh: the Debian package")
struct DebianPackageTests {
    static let tools = ["dpkg", "dpkg-deb", "dpkg-shlibdeps", "lintian", "swift"]
    /// deploy/test.sh runs this test on its own after the others (SPECSYNC_PACKAGE_TEST=1): its
    /// release build would starve the suites that wait for daemons and HTTP answers.
    static var runnable: Bool {
        ProcessInfo.processInfo.environment["SPECSYNC_PACKAGE_TEST"] == "1" && getuid() == 0 && tools.allSatisfy { tool in
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }

    /// Release builds for this test live apart from `swift test`'s own build folder, which the test
    /// run holds locked; they are kept between runs, so only the first one is slow.
    static let scratch = PackageRoot.path(".build-package")

    @Test("package.sh builds a lintian-clean .deb; dpkg installs it with the right files and modes, an upgrade keeps a changed configuration, a purge leaves nothing",
          .enabled(if: runnable, "runs with SPECSYNC_PACKAGE_TEST=1 (deploy/test.sh), as root, with dpkg-dev and lintian"),
          .timeLimit(.minutes(60)))
    func lifecycle() throws {
        let directory = try TemporaryDirectory(prefix: "specsync-deb")
        defer { directory.remove() }
        let output = directory.path + "/out"
        let script = PackageRoot.path("deploy/package.sh")

        // --- version N: the release build, manual pages, completions, lintian -------------------
        let first = try ProcessRunner.run("/bin/bash", [script, "--version", "0.1.0-1", "--output", output, "--scratch-path", Self.scratch])
        try #require(first.status == 0, "package.sh failed:\n\(first.stderr.suffix(4000))")
        let deb = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("/specsync_0.1.0-1_amd64.deb") || deb.hasSuffix("/specsync_0.1.0-1_arm64.deb"), "\(deb)")

        let lint = try ProcessRunner.run("lintian", ["--fail-on", "error,warning", deb])
        #expect(lint.status == 0, "lintian: \(lint.stdout)\(lint.stderr)")
        let complaints = lint.stdout.split(separator: "\n").filter { $0.hasPrefix("E:") || $0.hasPrefix("W:") }
        #expect(complaints.isEmpty, "lintian: \(complaints)")

        let depends = try ProcessRunner.checked("dpkg-deb", ["-f", deb, "Depends"]).stdout
        for library in ["libc6", "libgit2-1.5", "libyaml-0-2", "ca-certificates"] {
            #expect(depends.contains(library), "Depends: \(depends)")
        }
        #expect(!depends.contains("swift"), "the Swift runtime is linked statically: \(depends)")
        // libpq is dlopen'ed for state.backend: postgres only: recommended, never a dependency.
        #expect(!depends.contains("libpq"), "Depends: \(depends)")
        let recommends = try ProcessRunner.checked("dpkg-deb", ["-f", deb, "Recommends"]).stdout
        #expect(recommends.contains("libpq5"), "Recommends: \(recommends)")
        let conffiles = try ProcessRunner.checked("dpkg-deb", ["--info", deb, "conffiles"]).stdout
        #expect(conffiles == "/etc/specsync/specsync.yaml\n/etc/specsync/credentials/README\n")

        // --- install into a throwaway root -----------------------------------------------------
        let root = directory.path + "/root"
        for folder in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        for file in ["var/lib/dpkg/status", "var/lib/dpkg/available"] {
            FileManager.default.createFile(atPath: root + "/" + file, contents: nil)
        }
        // The maintainer scripts run on this system with DPKG_ROOT set (they must not touch its
        // systemd); the libraries Depends: names are this system's, not the empty root's.
        func dpkg(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run("dpkg", ["--root=\(root)", "--force-script-chrootless", "--force-depends", "--log=/dev/null"] + arguments)
        }
        func status() throws -> String {
            try ProcessRunner.run("dpkg-query", ["--admindir=\(root)/var/lib/dpkg", "-W", "-f=${Status} ${Version}", "specsync"]).stdout
        }
        let install = try dpkg(["-i", deb])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        #expect(try status() == "install ok installed 0.1.0-1")

        let entries = try Self.entries(of: root)
        let man = try Self.helpTree(binary: root + "/usr/bin/specsync")
        var expected: [String: Int] = [
            "usr/bin/specsync": 0o755, "lib/systemd/system/specsync.service": 0o644,
            "etc/specsync": 0o755, "etc/specsync/specsync.yaml": 0o644,
            "etc/specsync/credentials": 0o700, "etc/specsync/credentials/README": 0o644,
            "usr/share/doc/specsync/copyright": 0o644, "usr/share/doc/specsync/changelog.Debian.gz": 0o644,
            "usr/share/bash-completion/completions/specsync": 0o644,
            "usr/share/zsh/vendor-completions/_specsync": 0o644,
            "usr/share/fish/vendor_completions.d/specsync.fish": 0o644,
            "usr/share/lintian/overrides/specsync": 0o644,
        ]
        for page in man.keys { expected["usr/share/man/man1/\(page).1.gz"] = 0o644 }
        for (path, mode) in expected {
            #expect(entries[path]?.mode == mode, "\(path): \(entries[path].map { String($0.mode, radix: 8) } ?? "missing")")
        }
        #expect(entries.values.allSatisfy { $0.owner == 0 && $0.group == 0 }, "every file belongs to root")
        let unexpected = entries.filter { path, entry in
            expected[path] == nil && !path.hasPrefix("var/lib/dpkg") && !(entry.isDirectory && entry.mode == 0o755)
        }
        #expect(unexpected.isEmpty, "unexpected files: \(unexpected.keys.sorted())")

        let unit = try String(contentsOfFile: root + "/lib/systemd/system/specsync.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/bin/specsync sync --config /etc/specsync/specsync.yaml\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/etc/specsync/specsync.yaml"))
                == Data(contentsOf: URL(fileURLWithPath: PackageRoot.path("Config/specsync.yaml"))))
        let version = try ProcessRunner.checked(root + "/usr/bin/specsync", ["--version"]).stdout
        #expect(version.hasPrefix("0.1.0"), "\(version)")

        // --- manual pages and completions describe exactly the binary's commands and options ---
        for (page, options) in man {
            let text = try Self.render(root + "/usr/share/man/man1/\(page).1.gz")
            for option in options { #expect(text.contains("--\(option)"), "\(page)(1) lacks --\(option)") }
        }
        let root1 = try Self.render(root + "/usr/share/man/man1/specsync.1.gz")
        // Each page is listed by its parent's: specsync(1) names `state`, specsync.state(1) names `list`.
        for page in man.keys where page != "specsync" {
            let parts = page.split(separator: ".").map(String.init)
            let parent = parts.dropLast().joined(separator: ".")
            let text = parent == "specsync" ? root1 : try Self.render(root + "/usr/share/man/man1/\(parent).1.gz")
            #expect(text.contains(parts.last!), "\(parent)(1) lacks \(parts.last!)")
        }
        for completion in ["usr/share/bash-completion/completions/specsync", "usr/share/zsh/vendor-completions/_specsync",
                           "usr/share/fish/vendor_completions.d/specsync.fish"] {
            let script = try String(contentsOfFile: root + "/" + completion, encoding: .utf8)
            for (page, options) in man {
                if page != "specsync" { #expect(script.contains(String(page.split(separator: ".").last!)), "\(completion) lacks \(page)") }
                for option in options { #expect(script.contains(option), "\(completion) lacks --\(option) of \(page)") }
            }
        }

        // --- the operator changes the configuration and adds a secret; N+1 ships a new default ---
        let edited = "# edited by the operator\nrepository:\n  url: https://git.example.com/connectors.git\n"
        try Data(edited.utf8).write(to: URL(fileURLWithPath: root + "/etc/specsync/specsync.yaml"))
        let secret = root + "/etc/specsync/credentials/ims-client-secret"
        FileManager.default.createFile(atPath: secret, contents: Data("s3cret\n".utf8), attributes: [.posixPermissions: 0o600])
        let newDefault = try String(contentsOfFile: PackageRoot.path("Config/specsync.yaml"), encoding: .utf8) + "# changed in 0.1.0-2\n"
        let newConfig = try directory.write(newDefault, to: "specsync-0.1.0-2.yaml").path
        let second = try ProcessRunner.run("/bin/bash", [
            script, "--version", "0.1.0-2", "--output", output, "--scratch-path", Self.scratch,
            "--binary", root + "/usr/bin/specsync", "--config", newConfig,
        ])
        try #require(second.status == 0, "package.sh (N+1) failed:\n\(second.stderr.suffix(4000))")
        let upgrade = try dpkg(["--force-confold", "-i", second.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(upgrade.status == 0, "\(upgrade.stdout)\(upgrade.stderr)")
        #expect(try status() == "install ok installed 0.1.0-2")
        #expect(try String(contentsOfFile: root + "/etc/specsync/specsync.yaml", encoding: .utf8) == edited, "the upgrade overwrote the changed configuration")
        #expect(try String(contentsOfFile: root + "/etc/specsync/specsync.yaml.dpkg-dist", encoding: .utf8) == newDefault)
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "s3cret\n")
        let afterUpgrade = try Self.entries(of: root)
        #expect(afterUpgrade["etc/specsync/credentials"]?.mode == 0o700)
        #expect(afterUpgrade["etc/specsync/credentials/ims-client-secret"]?.mode == 0o600)

        // --- remove keeps the configuration; purge removes everything, secrets and state too ---
        let remove = try dpkg(["-r", "specsync"])
        #expect(remove.status == 0, "\(remove.stdout)\(remove.stderr)")
        #expect(try status() == "deinstall ok config-files 0.1.0-2")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/bin/specsync"))
        #expect(!FileManager.default.fileExists(atPath: root + "/lib/systemd/system/specsync.service"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/specsync/specsync.yaml"))
        // What the service would have left: its state under DynamicUser's private folder.
        try FileManager.default.createDirectory(atPath: root + "/var/lib/private/specsync", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/var/lib/private/specsync/default.state.json", contents: Data("{}".utf8))
        try FileManager.default.createSymbolicLink(atPath: root + "/var/lib/specsync", withDestinationPath: "private/specsync")
        let purge = try dpkg(["-P", "specsync"])
        #expect(purge.status == 0, "\(purge.stdout)\(purge.stderr)")
        let left = try Self.entries(of: root).keys.filter { !$0.hasPrefix("var/lib/dpkg") }.sorted()
        #expect(left == ["var", "var/lib", "var/lib/private"], "left behind after purge: \(left)")
    }

    struct Entry {
        var mode: Int
        var owner: Int
        var group: Int
        var isDirectory: Bool
    }

    /// Every path under `root` (symbolic links not followed) with its permission bits and owner.
    static func entries(of root: String) throws -> [String: Entry] {
        var entries: [String: Entry] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            var info = stat()
            try #require(lstat(root + "/" + relative, &info) == 0)
            entries[relative] = Entry(mode: Int(info.st_mode & 0o7777), owner: Int(info.st_uid), group: Int(info.st_gid),
                                      isDirectory: (info.st_mode & S_IFMT) == S_IFDIR)
        }
        return entries
    }

    /// The manual page each command has (specsync, specsync.sync, …) with its long options, from
    /// the binary's own description of its commands.
    static func helpTree(binary: String) throws -> [String: [String]] {
        let dump = try ProcessRunner.checked(binary, ["--experimental-dump-help"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        var pages: [String: [String]] = [:]
        func visit(_ command: [String: Any], prefix: String) {
            let name = prefix + (command["commandName"] as? String ?? "?")
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            pages[name] = arguments.filter { $0["shouldDisplay"] as? Bool ?? true }.flatMap { argument in
                (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }.compactMap { $0["name"] as? String }
            }
            for subcommand in command["subcommands"] as? [[String: Any]] ?? [] { visit(subcommand, prefix: name + ".") }
        }
        visit(try #require(object["command"] as? [String: Any]), prefix: "")
        return pages
    }

    /// A manual page as man shows it, without formatting.
    static func render(_ page: String) throws -> String {
        let result = try ProcessRunner.run("/bin/sh", ["-c", "MANWIDTH=200 man -l -P cat \"$0\" | col -b", page])
        #expect(result.status == 0, "man -l \(page): \(result.stderr)")
        return result.stdout
    }
}
