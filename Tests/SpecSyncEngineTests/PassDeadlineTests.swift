import SpecSyncCore
import SpecSyncEngine
import Testing

@Suite("Pass deadline")
struct PassDeadlineTests {
    @Test("the options of a target stop a pass once its passDeadline has passed, and keep the caller's own stop")
    func deadline() throws {
        var target = TargetSettings(name: "prod", kind: .flowService, flowService: FlowServiceSettings())
        let configuration = Configuration.defaults(currentDirectory: "/tmp", environment: [:])
        #expect(try SyncEngine.Options.make(configuration: configuration, target: target, environment: [:], force: false).shouldStop() == false)
        target.passDeadline = .zero
        #expect(try SyncEngine.Options.make(configuration: configuration, target: target, environment: [:], force: false).shouldStop())
        #expect(SyncEngine.Options.stopping(after: .seconds(3600), or: { true })(), "the caller's stop still counts")
        #expect(!SyncEngine.Options.stopping(after: .seconds(3600), or: { false })())
    }
}
