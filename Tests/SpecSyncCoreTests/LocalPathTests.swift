import Foundation
import SpecSyncTestSupport
import Testing
@testable import SpecSyncCore
@testable import SpecSyncJSON
@testable import SpecSyncConfiguration

@Suite("Local paths")
struct LocalPathTests {
    @Test("join, parent and last component, as NSString had them, except a bare name's parent is '.'")
    func components() {
        #expect(LocalPath.join("/a", "b") == "/a/b")
        #expect(LocalPath.join("/a/", "/b") == "/a/b")
        #expect(LocalPath.join("", "b") == "b")
        #expect(LocalPath.join("/a", "") == "/a")
        #expect(LocalPath.parent(of: "/a/b") == "/a")
        #expect(LocalPath.parent(of: "/a/b/") == "/a")
        #expect(LocalPath.parent(of: "/a") == "/")
        #expect(LocalPath.parent(of: "/") == "/")
        #expect(LocalPath.parent(of: "state.json") == ".")
        #expect(LocalPath.lastComponent(of: "/a/b.json") == "b.json")
        #expect(LocalPath.lastComponent(of: "/a/b/") == "b")
        #expect(LocalPath.lastComponent(of: "/") == "/")
    }

    @Test("resolved: relative to a base, '.' and '..' removed, '~' is the given home")
    func lexical() {
        #expect(LocalPath.resolved("repo", relativeTo: "/nonexistent/etc", home: nil) == "/nonexistent/etc/repo")
        #expect(LocalPath.resolved("./a/../b//c/", relativeTo: "/nonexistent", home: nil) == "/nonexistent/b/c")
        #expect(LocalPath.resolved("/x/../../y", relativeTo: "/ignored", home: nil) == "/y")
        #expect(LocalPath.resolved("~/state", relativeTo: "/ignored", home: "/home/ops") == "/home/ops/state")
        #expect(LocalPath.resolved("~", relativeTo: "/ignored", home: "/home/ops") == "/home/ops")
        #expect(LocalPath.resolved("~root/x", relativeTo: "/ignored", home: nil) == "/root/x")
        #expect(LocalPath.resolved("~no-such-user-here/x", relativeTo: "/base", home: nil) == "/base/~no-such-user-here/x")
    }

    @Test("resolved: links that exist are followed, relative and absolute, and '..' leaves the link's target")
    func symbolicLinks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = LocalPath.resolved(directory.path, relativeTo: "/", home: nil)
        try FileManager.default.createDirectory(atPath: root + "/real/inner", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/relative", withDestinationPath: "real/inner")
        try FileManager.default.createSymbolicLink(atPath: root + "/absolute", withDestinationPath: root + "/real")
        try FileManager.default.createSymbolicLink(atPath: root + "/loop", withDestinationPath: "loop")
        #expect(LocalPath.resolved("relative/new", relativeTo: root, home: nil) == root + "/real/inner/new")
        #expect(LocalPath.resolved("relative/..", relativeTo: root, home: nil) == root + "/real")
        #expect(LocalPath.resolved(root + "/absolute/inner", relativeTo: "/", home: nil) == root + "/real/inner")
        // A cycle ends after the kernel's limit instead of looping.
        #expect(LocalPath.resolved("loop", relativeTo: root, home: nil) == root + "/loop")
        #expect(LocalPath.isSymbolicLink(root + "/relative"))
        #expect(!LocalPath.isSymbolicLink(root + "/real"))
        #expect(LocalPath.isDirectory(root + "/relative"))
        #expect(!LocalPath.isDirectory(root + "/missing"))
    }
}
