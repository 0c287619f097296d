#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import SpecSyncCore
import SpecSyncJSON

extension ControlRoutes {
    /// `GET /__emulator/verification`: how many connections, source connections, flows and runs
    /// the sandbox holds, and the settings; `POST` replaces the settings (`VerificationStore.Settings`).
    func verificationControl(_ request: EmulatorRequest) async -> EmulatorReply {
        if request.method == .post {
            do {
                await verificationStore.replaceSettings(try JSONDecoder().decode(VerificationStore.Settings.self, from: Data(request.body)))
            } catch {
                return EmulatorError.badRequest("The body must be a JSON object with runMilliseconds and delayMilliseconds: \(error)", code: "EMU-0001-400")
                    .reply(requestID: request.requestID)
            }
        }
        var counts = JSONObject()
        for (name, count) in await verificationStore.counts().sorted(by: { $0.key < $1.key }) { counts[name] = .number(String(count)) }
        let settings = await verificationStore.settings
        var delays = JSONObject()
        for (step, milliseconds) in settings.delayMilliseconds.sorted(by: { $0.key < $1.key }) { delays[step] = .number(String(milliseconds)) }
        return .json(.ok, .object(JSONObject([
            "counts": .object(counts),
            "settings": .object(JSONObject(["runMilliseconds": .number(String(settings.runMilliseconds)), "delayMilliseconds": .object(delays)])),
        ])))
    }
}
