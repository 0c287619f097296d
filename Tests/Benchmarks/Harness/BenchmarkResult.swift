/// Timings of one benchmark, in milliseconds, printed as one JSON object for Tests/Benchmarks/run.sh.
struct BenchmarkResult {
    let samples: [Double]
    let detail: [String: Int]

    var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var json: String {
        let sorted = samples.sorted()
        var fields = [
            "\"median_ms\": \(median)", "\"min_ms\": \(sorted.first ?? 0)", "\"max_ms\": \(sorted.last ?? 0)",
            "\"runs\": \(samples.count)",
        ]
        for (key, value) in detail.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(value)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
