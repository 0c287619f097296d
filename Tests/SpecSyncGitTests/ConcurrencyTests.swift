import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

@Suite struct ConcurrencyTests {
    /// Many tasks hammering one repository: every answer must be right (libgit2 stays on one thread).
    @Test func manyTasksShareOneRepository() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for index in 0..<20 {
            try fixture.write("file \(index)\n", to: "Sources/s\(index)/Artifacts/s\(index)-label.txt")
        }
        try fixture.commitAll("twenty sources")
        let head = try fixture.revParse("HEAD")
        var expectedIDs: [Int: ObjectID] = [:]
        for index in 0..<20 {
            expectedIDs[index] = try fixture.revParse("HEAD:Sources/s\(index)/Artifacts/s\(index)-label.txt")
        }
        let expected = expectedIDs

        let repository = try GitRepository(path: fixture.path)
        let results = try await withThrowingTaskGroup(of: (Int, String, ObjectID?, ObjectID).self) { group in
            for round in 0..<200 {
                let index = round % 20
                group.addTask {
                    let path = "Sources/s\(index)/Artifacts/s\(index)-label.txt"
                    let entry = try await repository.entry(at: path, in: head)
                    let bytes = try await repository.blob(try #require(entry).id)
                    let resolved = try await repository.resolveCommit("HEAD")
                    return (index, String(decoding: bytes, as: UTF8.self), entry?.id, resolved)
                }
            }
            var all: [(Int, String, ObjectID?, ObjectID)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 200)
        for (index, text, id, resolved) in results {
            #expect(text == "file \(index)\n")
            #expect(id == expected[index])
            #expect(resolved == head)
        }
    }

    /// Errors are read per thread: a failing call interleaved with succeeding ones must report its own error.
    @Test func errorsStayWithTheirCall() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("x\n", to: "x.txt")
        let head = try fixture.commitAll("x")
        let repository = try GitRepository(path: fixture.path)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<100 {
                group.addTask {
                    if round.isMultiple(of: 2) {
                        let error = try await #require(throws: GitError.self) {
                            try await repository.resolveCommit("missing-\(round)")
                        }
                        #expect(error.message.contains("missing-\(round)"))
                    } else {
                        #expect(try await repository.resolveCommit("HEAD").hex == head)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func twoRepositoriesAtOnce() async throws {
        let first = try GitFixture()
        defer { first.cleanUp() }
        let second = try GitFixture()
        defer { second.cleanUp() }
        try first.write("first\n", to: "name.txt")
        let firstHead = try first.revParse(try first.commitAll("first"))
        try second.write("second\n", to: "name.txt")
        let secondHead = try second.revParse(try second.commitAll("second"))

        let a = try GitRepository(path: first.path)
        let b = try GitRepository(path: second.path)
        let outcomes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for round in 0..<60 {
                let (repository, head) = round.isMultiple(of: 2) ? (a, firstHead) : (b, secondHead)
                group.addTask {
                    let entry = try #require(try await repository.entry(at: "name.txt", in: head))
                    let text = String(decoding: try await repository.blob(entry.id), as: UTF8.self)
                    return (repository.path, text)
                }
            }
            var all: [(String, String)] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.count == 60)
        for (path, text) in outcomes {
            #expect(text == (path == first.path ? "first\n" : "second\n"))
        }
        // Each repository answers for its own objects only.
        #expect(await a.containsObject(secondHead) == false)
        #expect(await b.containsObject(secondHead))
    }

    /// Opening and dropping many repositories must not leak threads or crash when each frees its handle.
    @Test func openAndReleaseRepeatedly() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("x\n", to: "x.txt")
        let head = try fixture.revParse(try fixture.commitAll("x"))
        for _ in 0..<50 {
            let repository = try GitRepository(path: fixture.path)
            #expect(try await repository.resolveCommit("HEAD") == head)
        }
        for _ in 0..<20 {
            #expect(throws: GitError.self) { try GitRepository(path: fixture.path + "/nope") }
        }
    }
}

@Suite struct ExecutorTests {
    @Test func everyCallRunsOnTheRepositorysOwnThread() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("x\n", to: "x.txt")
        try fixture.commitAll("x")
        let repository = try GitRepository(path: fixture.path)
        let other = try GitRepository(path: fixture.path)
        #expect(await repository.isOnOwnThread)
        #expect(repository.executor.isCurrent == false)  // the test's own thread is not it
        #expect(repository.executor !== other.executor)
        let (mine, theirs) = await repository.run { isolated in
            (isolated.executor.isCurrent, other.executor.isCurrent)
        }
        #expect(mine && !theirs)
    }

    /// Once the repository is gone its thread frees the handle and ends, releasing the executor.
    @Test func theThreadEndsAfterTheRepositoryIsReleased() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.write("x\n", to: "x.txt")
        try fixture.commitAll("x")
        weak var executor: GitThreadExecutor?
        do {
            let repository = try GitRepository(path: fixture.path)
            executor = repository.executor
            _ = try await repository.resolveCommit("HEAD")
        }
        var waited = 0
        while executor != nil && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(executor == nil)
    }
}

extension GitRepository {
    /// Runs a closure isolated to the repository, for tests that look at where code runs.
    func run<T: Sendable>(_ body: @Sendable (isolated GitRepository) -> T) -> T {
        body(self)
    }
}
