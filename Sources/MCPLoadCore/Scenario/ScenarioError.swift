/// A problem in a scenario file, located so an editor can jump to it: `file:line: message`.
package struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    package let file: String
    package let line: Int
    package let message: String

    package init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    package var description: String { "\(file):\(line): \(message)" }
}
