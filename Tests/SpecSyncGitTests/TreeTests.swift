import Foundation
import SpecSyncTestSupport
import Synchronization
import Testing

@testable import SpecSyncGit

@Suite struct TreeTests {
    @Test func entryAtPathsAndKinds() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let root = try #require(try await repository.entry(at: "", in: head))
        #expect(
            root
                == TreeEntry(
                    path: "", name: "", id: try fixture.revParse("HEAD^{tree}"), kind: .tree, fileMode: 0o040000))
        #expect(try await repository.entry(at: "/", in: head) == root)

        let spec = try #require(
            try await repository.entry(at: "Sources/alpha/Artifacts/alpha-connectionSpec.json", in: head))
        #expect(spec.path == "Sources/alpha/Artifacts/alpha-connectionSpec.json")
        #expect(spec.name == "alpha-connectionSpec.json")
        #expect(spec.kind == .blob)
        #expect(spec.fileMode == 0o100644)
        #expect(spec.isRegularFile && !spec.isSymlink && !spec.isExecutable)
        #expect(spec.id == (try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-connectionSpec.json")))

        let directory = try #require(try await repository.entry(at: "/Sources/alpha/", in: head))
        #expect(directory.path == "Sources/alpha")
        #expect(directory.kind == .tree)
        #expect(directory.id == (try fixture.revParse("HEAD:Sources/alpha")))

        let link = try #require(try await repository.entry(at: "link", in: head))
        #expect(link.isSymlink)
        #expect(link.kind == .blob)
        #expect(link.fileMode == 0o120000)
        #expect(try await repository.blob(link.id) == Array("README.md".utf8))

        let script = try #require(try await repository.entry(at: "tools/run.sh", in: head))
        #expect(script.isExecutable && script.fileMode == 0o100755)

        #expect(try await repository.entry(at: "Sources/gamma", in: head) == nil)
        #expect(try await repository.entry(at: "README.md/inside", in: head) == nil)  // through a blob

        // A tree id works in place of a commit.
        let byTree = try await repository.entry(at: "README.md", in: root.id)
        #expect(byTree?.id == (try fixture.revParse("HEAD:README.md")))
    }

    @Test func entriesListOneLevelWithFullPaths() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let top = try #require(try await repository.entries(of: "", in: head))
        #expect(top.map(\.path) == ["README.md", "Sources", "link", "tools"])
        #expect(top.map(\.kind) == [.blob, .tree, .blob, .tree])

        let sources = try #require(try await repository.entries(of: "Sources", in: head))
        #expect(sources.map(\.path) == ["Sources/alpha", "Sources/beta"])
        #expect(sources.map(\.name) == ["alpha", "beta"])
        #expect(sources[1].id == (try fixture.revParse("HEAD:Sources/beta")))

        let artifacts = try #require(try await repository.entries(of: "Sources/beta/Artifacts/", in: head))
        #expect(
            artifacts.map(\.path) == [
                "Sources/beta/Artifacts/beta-connectionSpec.json", "Sources/beta/Artifacts/beta-label.txt",
            ])

        #expect(try await repository.entries(of: "Sources/gamma", in: head) == nil)
        #expect(try await repository.entries(of: "README.md", in: head) == nil)  // not a directory
    }

    @Test func entriesNamedAreTheListedOnesLookedUpOneByOne() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let listed = try #require(try await repository.entries(of: "Sources", in: head))
        let named = try await repository.entries(named: ["beta", "gamma", "alpha", "al", "beta\u{0}x"], in: "/Sources/", commit: head)
        #expect(named == [listed[1], listed[0]], "in the order asked; missing, partial and NUL-bearing names left out")
        #expect(try await repository.entries(named: ["README.md", "link"], in: "", commit: head).map(\.path) == ["README.md", "link"])
        #expect(try await repository.entries(named: ["x"], in: "README.md", commit: head).isEmpty, "a file, not a folder")
        #expect(try await repository.entries(named: ["alpha"], in: "nowhere", commit: head).isEmpty)
    }

    @Test("a folder of 1,000 entries or more is read once per pass (or read ahead) and kept, at most four of them; the answers are those of a fresh read")
    func largeTreesAreKeptUntilThePassEnds() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        let count = LargeTrees.minimumEntries
        for index in 0..<count {
            try fixture.write("{\"name\":\"b\(index)\"}\n", to: "Sources/b\(index)/Artifacts/b\(index)-connectionSpec.json")
        }
        var commits = [try Fixtures.id(try fixture.commitAll("one folder of \(count) bundles"))]
        for revision in 1...LargeTrees.limit {
            try fixture.write("{\"name\":\"b7\",\"revision\":\(revision)}\n", to: "Sources/b7/Artifacts/b7-connectionSpec.json")
            commits.append(try Fixtures.id(try fixture.commitAll("revision \(revision)")))
        }
        let repository = try GitRepository(path: fixture.path)

        // Preloading a missing path, a file or a small folder keeps nothing and reports nothing.
        await repository.preloadTree(at: "nowhere", in: commits[0])
        await repository.preloadTree(at: "Sources/b1/Artifacts/b1-connectionSpec.json", in: commits[0])
        await repository.preloadTree(at: "Sources/b1", in: commits[0])
        await repository.preloadTree(at: "Sources", in: ObjectID(hex: String(repeating: "ab", count: 20))!)
        #expect(await repository.largeTreeCount == 0)
        await repository.preloadTree(at: "/Sources/", in: commits[0])
        #expect(await repository.largeTreeCount == 1, "the bundles root is read ahead and kept")

        let listed = try #require(try await repository.entries(of: "Sources", in: commits[0]))
        #expect(listed.count == count)
        #expect(await repository.largeTreeCount == 1, "the listing found it kept")
        #expect(try await repository.entries(of: "Sources", in: commits[0]) == listed, "read again from the kept tree")
        #expect(try await repository.entries(of: "Sources/b3/Artifacts", in: commits[0])?.map(\.name) == ["b3-connectionSpec.json"])
        #expect(await repository.largeTreeCount == 1, "small folders are not kept")

        let deltas = try await repository.diff(from: commits[0], to: commits[1], paths: ["Sources/"])
        #expect(deltas.map(\.newPath) == ["Sources/b7/Artifacts/b7-connectionSpec.json"])
        #expect(await repository.largeTreeCount == 2)
        let named = try await repository.entries(named: ["b9", "b7"], in: "Sources", commit: commits[1])
        #expect(named.map(\.id) == [listed[listed.firstIndex { $0.name == "b9" }!].id, try fixture.revParse("\(commits[1].hex):Sources/b7")])

        // Full: the fifth commit's root is read and freed, and still answered right.
        for commit in commits.dropFirst(2) {
            let entries = try await repository.entries(of: "Sources", in: commit)
            #expect(entries?.first { $0.name == "b7" }?.id == (try fixture.revParse("\(commit.hex):Sources/b7")))
        }
        #expect(await repository.largeTreeCount == LargeTrees.limit)

        await repository.releaseCaches()
        #expect(await repository.largeTreeCount == 0)
        #expect(try await repository.entries(of: "Sources", in: commits[0]) == listed, "read again after the pass")
    }

    @Test("names(of:where:) gives the names of the listed entries that its test takes, with each one's kind and mode")
    func namesAreTheListedEntriesTheTestTakes() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let listed = try #require(try await repository.entries(of: "", in: head))
        #expect(try await repository.names(of: "", in: head) { _, _, _ in true } == listed.map(\.name))
        let seen = Mutex<[String: String]>([:])
        let folders = try await repository.names(of: "/", in: head) { kind, mode, name in
            seen.withLock { $0[name] = "\(kind) \(String(mode, radix: 8))" }
            return kind == .tree || TreeEntry.isSymlink(mode)
        }
        #expect(folders == ["Sources", "link", "tools"])
        #expect(seen.withLock { $0 } == Dictionary(uniqueKeysWithValues: listed.map { ($0.name, "\($0.kind) \(String($0.fileMode, radix: 8))") }))
        #expect(try await repository.names(of: "Sources", in: head) { _, _, _ in true } == ["alpha", "beta"])
        #expect(try await repository.names(of: "README.md", in: head) { _, _, _ in true } == nil, "a file, not a folder")
        #expect(try await repository.names(of: "nowhere", in: head) { _, _, _ in true } == nil)
    }

    @Test func entriesOfEachFolderBelowABaseInOneCall() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let listed = try await repository.entries(
            ofEach: ["beta/Artifacts", "alpha", "gamma/Artifacts", "beta/Artifacts/beta-label.txt", ""], below: "Sources/", in: head)
        #expect(listed["beta/Artifacts"]?.map(\.path) == ["Sources/beta/Artifacts/beta-connectionSpec.json", "Sources/beta/Artifacts/beta-label.txt"])
        #expect(listed["beta/Artifacts"] == (try await repository.entries(of: "Sources/beta/Artifacts", in: head)))
        #expect(listed["alpha"]?.map(\.path) == ["Sources/alpha/Artifacts"])
        #expect(listed[""]?.map(\.name) == ["alpha", "beta"], "the base itself")
        #expect(listed["gamma/Artifacts"] == nil, "missing: left out")
        #expect(listed["beta/Artifacts/beta-label.txt"] == nil, "a file, not a folder: left out")
        #expect(try await repository.entries(ofEach: ["x"], below: "nowhere", in: head).isEmpty)
        #expect(try await repository.entries(ofEach: ["Sources/alpha"], below: "", in: head)["Sources/alpha"]?.map(\.path) == ["Sources/alpha/Artifacts"])
    }

    @Test func walkIsRecursivePreOrderAndHonoursMaxDepth() async throws {
        let fixture = try Fixtures.connectorRepository()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")

        let all = try await repository.walk("Sources", in: head)
        #expect(
            all.map(\.path) == [
                "Sources/alpha", "Sources/alpha/Artifacts",
                "Sources/alpha/Artifacts/alpha-connectionSpec.json", "Sources/alpha/Artifacts/alpha-label.txt",
                "Sources/beta", "Sources/beta/Artifacts",
                "Sources/beta/Artifacts/beta-connectionSpec.json", "Sources/beta/Artifacts/beta-label.txt",
            ])
        #expect(all[2].id == (try fixture.revParse("HEAD:Sources/alpha/Artifacts/alpha-connectionSpec.json")))
        #expect(all[2].name == "alpha-connectionSpec.json")

        // Compare the whole tree with `git ls-tree -r -t`.
        let everything = try await repository.walk("", in: head)
        let lsTree = try fixture.git("ls-tree", "-r", "-t", "--full-tree", "HEAD").split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            return "\(fields[0]) \(fields[2]) \(parts[1])"
        }
        let ours = everything.map { String($0.fileMode, radix: 8).leftPadded(to: 6) + " \($0.id.hex) \($0.path)" }
        #expect(ours.sorted() == lsTree.sorted())

        let one = try await repository.walk("Sources", in: head, maxDepth: 1)
        #expect(one.map(\.path) == ["Sources/alpha", "Sources/beta"])
        #expect(one == (try await repository.entries(of: "Sources", in: head)))
        let two = try await repository.walk("Sources/", in: head, maxDepth: 2)
        #expect(
            two.map(\.path) == ["Sources/alpha", "Sources/alpha/Artifacts", "Sources/beta", "Sources/beta/Artifacts"])

        #expect(try await repository.walk("Sources/gamma", in: head).isEmpty)
        #expect(try await repository.walk("README.md", in: head).isEmpty)
    }

    @Test func blobsMatchWhatWasWrittenByteForByte() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        let binary: [UInt8] = [0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a, 0x0d, 0x0a, 0x00]
        try Fixtures.writeBytes(binary, to: "data.bin", in: fixture)
        try fixture.write("héllo wörld\r\n", to: "text.txt")
        try fixture.write("", to: "empty.txt")
        try fixture.commitAll("blobs")

        let repository = try GitRepository(path: fixture.path)
        let head = try await repository.resolveCommit("HEAD")
        let binaryID = try #require(try await repository.entry(at: "data.bin", in: head)).id
        let textID = try #require(try await repository.entry(at: "text.txt", in: head)).id
        let emptyID = try #require(try await repository.entry(at: "empty.txt", in: head)).id

        #expect(try await repository.blob(binaryID) == binary)
        #expect(try await repository.blob(textID) == Array("héllo wörld\r\n".utf8))
        #expect(try await repository.blob(emptyID) == [])

        let batch = try await repository.blobs([binaryID, textID, emptyID, binaryID])
        #expect(batch == [binaryID: binary, textID: Array("héllo wörld\r\n".utf8), emptyID: []])

        // Sizes come from the object headers, the same for loose and packed objects.
        let sizes = [binaryID: binary.count, textID: Array("héllo wörld\r\n".utf8).count, emptyID: 0]
        #expect(try await repository.blobSizes([binaryID, textID, emptyID]) == sizes)
        try fixture.git("gc", "-q")
        let packed = try GitRepository(path: fixture.path)
        #expect(try await packed.blobSizes([binaryID, textID, emptyID]) == sizes)

        let missing = try Fixtures.id("00000000000000000000000000000000000000aa")
        #expect(try await #require(throws: GitError.self) { try await repository.blobSize(missing) }.isNotFound)
        let error = try await #require(throws: GitError.self) { try await repository.blobs([textID, missing]) }
        #expect(error.isNotFound)
        #expect(error.operation == "read blob \(missing.hex)")
        // A tree id is not a blob.
        let treeError = try await #require(throws: GitError.self) {
            try await repository.blob(try fixture.revParse("HEAD^{tree}"))
        }
        #expect(treeError.operation.hasPrefix("read blob "))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
