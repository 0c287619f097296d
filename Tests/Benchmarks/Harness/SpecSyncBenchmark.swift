import Foundation

/// `specsync-benchmark`: the measurements Tests/Benchmarks/run.sh cannot take from outside a process.
///
///   specsync-benchmark detect REPOSITORY FROM TO [ITERATIONS]
///   specsync-benchmark evaluate REPOSITORY REVISION
@main
struct SpecSyncBenchmark {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            switch arguments.first {
            case "detect" where arguments.count >= 4:
                let iterations = arguments.count > 4 ? Int(arguments[4]) ?? 50 : 50
                let result = try await ChangeDetectionBenchmark(
                    repository: arguments[1], from: arguments[2], to: arguments[3], iterations: iterations
                ).run()
                print(result.json)
            case "evaluate" where arguments.count >= 3:
                print(try await EvaluationBenchmark(repository: arguments[1], revision: arguments[2]).run().json)
            default:
                FileHandle.standardError.write(Data("usage: specsync-benchmark detect REPOSITORY FROM TO [ITERATIONS] | evaluate REPOSITORY REVISION\n".utf8))
                exit(64)
            }
        } catch {
            FileHandle.standardError.write(Data("specsync-benchmark: \(error)\n".utf8))
            exit(1)
        }
    }
}
