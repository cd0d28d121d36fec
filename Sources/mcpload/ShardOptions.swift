import ArgumentParser
import Foundation
import MCPLoadCore

/// `--shard I/N` and `--start-at TIME`: one machine's part of a load split over several, and
/// the instant all of them start it.
struct ShardOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run part I of N of the load (I from 1): its share of the clients, or every N-th arrival of the open model.",
            discussion:
                "Also read from JOB_COMPLETION_INDEX (0-based) and MCPLOAD_SHARDS, as a Kubernetes Indexed Job sets them."
        ))
    var shard: String?

    @Option(
        name: .customLong("start-at"),
        help: "Start the load at this instant (RFC 3339, e.g. 2026-11-30T12:00:00Z, or +30s from now), once ready.")
    var startAt: String?

    /// The shard this process runs, from the flag or the environment; nil for a whole run.
    func resolvedShard(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let shard {
            guard let parsed = Shard(parsing: shard) else {
                throw InputError("--shard \(shard): write it as I/N, with 1 ≤ I ≤ N ≤ \(Shard.maximumCount)")
            }
            return parsed
        }
        do {
            return try Shard.fromEnvironment(environment)
        } catch {
            throw InputError(error.description)
        }
    }

    /// `--start-at` as a wall-clock instant; nil without one.
    func resolvedStart(now: Date = Date()) throws -> Date? {
        guard let startAt else { return nil }
        if startAt.hasPrefix("+") {
            guard let offset = DurationText.parse(String(startAt.dropFirst())), offset >= .zero else {
                throw InputError("--start-at \(startAt): write an offset as +30s or +2m")
            }
            return now.addingTimeInterval(offset.seconds)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = formatter.date(from: startAt) ?? plain.date(from: startAt) else {
            throw InputError("--start-at \(startAt): write an RFC 3339 time (2026-11-30T12:00:00Z) or +30s")
        }
        // A start long past is a mistake (a stale manifest), not "start now".
        guard date.timeIntervalSince(now) > -3600 else {
            throw InputError("--start-at \(startAt) is more than an hour ago")
        }
        return date
    }
}
