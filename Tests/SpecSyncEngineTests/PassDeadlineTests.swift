import SpecSyncEngine
import Testing

@Suite("Pass deadline")
struct PassDeadlineTests {
    @Test("a pass's stop turns true once its deadline has passed, and keeps the caller's own stop")
    func deadline() throws {
        #expect(SyncEngine.Options.stopping(after: .seconds(3600), or: { false })() == false)
        #expect(SyncEngine.Options.stopping(after: .zero, or: { false })())
        #expect(SyncEngine.Options.stopping(after: .seconds(3600), or: { true })(), "the caller's stop still counts")
    }
}
