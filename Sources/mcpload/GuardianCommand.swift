import ArgumentParser
import Foundation
import MCPLoadTransport

/// The helper mcpload starts beside its first server: it kills every server still running
/// once mcpload is gone, whatever killed it (see ``ProcessGuardian``). Not for people.
struct GuardianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guardian", abstract: "Internal: kills mcpload's servers once mcpload is gone.",
        shouldDisplay: false)

    func run() throws {
        ProcessGuardian.watch(reading: FileHandle.standardInput.fileDescriptor)
    }
}
