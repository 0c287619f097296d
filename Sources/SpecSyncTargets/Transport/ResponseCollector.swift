import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Collects one answer straight into a `TransportResponse` on the connection's event loop: the
/// head's status and headers, the body appended as it arrives, refused once it passes `limit`.
/// One copy of the body (out of NIO's buffers), where collecting an async body sequence and then
/// converting it cost two, and no task of its own per request.
final class ResponseCollector: HTTPClientResponseDelegate {
    typealias Response = TransportResponse

    /// More than `limit` bytes of answer, announced or received.
    struct TooLarge: Error {}

    private let limit: Int
    /// Callbacks come one at a time on the task's event loop; the lock makes that safe to rely on.
    private let collected = Mutex(TransportResponse(status: 0))

    init(limit: Int) { self.limit = limit }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        if let announced = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), announced > limit {
            return task.eventLoop.makeFailedFuture(TooLarge())
        }
        collected.withLock { response in
            response.status = Int(head.status.code)
            response.headers = head.headers.map { ($0.name, $0.value) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = collected.withLock { response in
            guard response.body.count + buffer.readableBytes <= limit else { return false }
            buffer.withUnsafeReadableBytes { response.body.append(contentsOf: $0) }
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(TooLarge())
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        collected.withLock { $0 }
    }
}
