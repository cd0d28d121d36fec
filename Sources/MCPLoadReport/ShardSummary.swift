import MCPLoadCore

/// The lines a sharded run adds to a summary: one shard's part and start, or a merge's shards
/// and start skew.
enum ShardSummary {
    static func render(_ result: RunResult) -> [String] {
        var lines: [String] = []
        if let shard = result.shard {
            var line =
                "shard \(shard.index)/\(shard.count): clients \(shard.virtualClientOffset + 1)-"
                + "\(shard.virtualClientOffset + shard.virtualClients) of \(shard.totalVirtualClients)"
            if let late = shard.lateBySeconds {
                line +=
                    shard.startedLate
                    ? "; NOT ready by the scheduled start: started \(seconds(late)) late"
                    : "; started \(seconds(late)) after the scheduled start"
            }
            lines.append(line)
        }
        if let merged = result.merged {
            var line = "merged: \(merged.present.count) of \(merged.shards) shards"
            if !merged.missing.isEmpty {
                line +=
                    " (missing \(merged.missing.map(String.init).joined(separator: ", ")); "
                    + "\(merged.achievedVirtualClients) of \(merged.intendedVirtualClients) clients ran)"
            }
            if let skew = merged.startSkewSeconds { line += "; start skew \(seconds(skew))" }
            if !merged.lateShards.isEmpty {
                line += "; started late: \(merged.lateShards.map(String.init).joined(separator: ", "))"
            }
            if !merged.saturatedShards.isEmpty {
                line += "; saturated: \(merged.saturatedShards.map(String.init).joined(separator: ", "))"
            }
            lines.append(line)
        }
        return lines
    }

    private static func seconds(_ value: Double) -> String {
        DurationText.formatMicroseconds(value * 1e6)
    }
}
