import ArgumentParser
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file without running it; errors are printed as file:line: message.")

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    func run() throws {
        let parsed = try ScenarioLoader.load(scenario)
        print("\(scenario): ok (\(parsed.steps.count) steps, \(parsed.load.virtualClients) clients)")
    }
}
