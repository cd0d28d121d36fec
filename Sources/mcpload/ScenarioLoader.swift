import ArgumentParser
import Foundation
import MCPLoadCore

/// Reads a scenario file and applies command-line overrides, or says exactly what is wrong.
enum ScenarioLoader {
    static func load(_ path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot read the scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(path):1: the scenario file is not UTF-8 text")
        }
        do {
            return try ScenarioParser(file: path).parse(yaml: text)
        } catch {
            throw InputError(error.description)
        }
    }

    /// The runs' targets with `${VAR}` read from the environment in their command words and
    /// server environment, their headers resolved likewise, and one redactor for every secret
    /// of them all. A variable that is not set is bad input, found before any load.
    static func resolveSecrets(
        of scenarios: inout [Scenario]
    ) throws -> (headers: [(name: String, value: String)], redactor: Redactor, auth: ResolvedAuth?) {
        let environment = ProcessInfo.processInfo.environment
        guard let first = scenarios.first else { return ([], .none, nil) }
        do {
            let (headers, redactor) = try first.target.resolvedHeaders(environment: environment)
            for header in headers where !HeaderValue.isValid(header.value) {
                throw InputError(
                    "header \(header.name): its value (from the environment) holds a line break or control character")
            }
            var secrets: [String] = []
            for index in scenarios.indices {
                scenarios[index].target = try scenarios[index].target.resolvingReferences(in: environment)
                secrets += scenarios[index].target.launchSecrets
            }
            let auth = try resolveAuth(of: first, environment: environment)
            return (headers, redactor.adding(secrets + (auth?.secrets ?? [])), auth)
        } catch let error as EnvironmentTemplate.MissingVariable {
            throw InputError("the target refers to ${\(error.name)}, which is not set in the environment")
        }
    }
}

extension ScenarioLoader {
    /// `auth:` with its files read and its variables filled in, for every identity of the run.
    static func resolveAuth(of scenario: Scenario, environment: [String: String]) throws -> ResolvedAuth? {
        guard let settings = scenario.auth else { return nil }
        let clients = scenario.shard?.totalVirtualClients ?? scenario.load.virtualClients
        do {
            return try ResolvedAuth.resolve(
                settings, identities: settings.identities ?? clients, environment: environment
            ) { path in
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else { throw InputError("cannot read \(path)") }
                return text
            }
        } catch {
            throw InputError(error.description)
        }
    }
}

/// Bad input, already phrased for the user; exits with status 2.
struct InputError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The flags that override a scenario's own settings.
struct ScenarioOverrides: ParsableArguments {
    @Option(name: .customLong("vus"), help: "Number of virtual clients.")
    var virtualClients: Int?

    @Option(help: "Run for this long (e.g. 30s, 2m) instead of a number of iterations.")
    var duration: String?

    @Option(help: "Iterations per virtual client.")
    var iterations: Int?

    @Option(help: "The stdio server to load, as one string: 'python server.py --flag'.")
    var targetCommand: String?

    @Option(help: "The Streamable HTTP endpoint to load, e.g. http://127.0.0.1:8000/mcp.")
    var targetURL: String?

    @Option(
        help:
            "How clients reach the server: stdio, http or sse; several, comma-separated, run the scenario once per transport and compare."
    )
    var transport: String?

    @Option(
        name: .customLong("threshold"),
        help: "A pass/fail condition, e.g. 'p99(call echo) < 250ms'; added to the scenario's (repeatable).")
    var thresholds: [String] = []

    @Option(
        name: .customLong("header"),
        help: "An HTTP header for every request, 'Name: value'; ${VAR} reads the environment (repeatable).")
    var headers: [String] = []

    /// The transports asked for, in order; empty when the scenario's own applies.
    var transports: [TargetSpec.Transport] {
        (transport ?? "").split(separator: ",").compactMap {
            TargetSpec.Transport(rawValue: String($0).trimmingCharacters(in: .whitespaces))
        }
    }

    func validate() throws {
        if let virtualClients, virtualClients < 1 { throw ValidationError("--vus must be at least 1") }
        if let virtualClients, virtualClients > LoadSettings.maximumVirtualClients {
            throw ValidationError("--vus must be at most \(LoadSettings.maximumVirtualClients)")
        }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let duration {
            guard let parsed = DurationText.parse(duration) else {
                throw ValidationError(
                    "--duration: bad duration '\(duration)'; write a number with a unit: 500ms, 30s, 2m (at most 100 years)"
                )
            }
            guard parsed > .zero else { throw ValidationError("--duration must be longer than 0") }
        }
        if let targetCommand, CommandLineWords.split(targetCommand).isEmpty {
            throw ValidationError("--target-command is empty")
        }
        for header in headers { _ = try Self.parseHeader(header) }
        if let targetURL, !(targetURL.hasPrefix("http://") || targetURL.hasPrefix("https://")) {
            throw ValidationError("--target-url must start with http:// or https://")
        }
        if let transport {
            let names = transport.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            for name in names where TargetSpec.Transport(rawValue: name) == nil {
                let known = TargetSpec.Transport.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--transport: '\(name)' is not one of \(known)")
            }
            if Set(names).count != names.count { throw ValidationError("--transport names a transport twice") }
        }
    }

    /// The load flags that an open-model scenario cannot take, or takes differently.
    func checkLoad(_ scenario: Scenario) throws {
        guard let pacer = scenario.load.pacer else { return }
        if iterations != nil {
            throw InputError("--iterations: the open model runs for a duration (its rate sets how many iterations)")
        }
        if duration != nil && pacer.segments.count > 1 {
            throw InputError("--duration: this open model's stages set how long it runs")
        }
    }

    /// Both servers at once make sense only for a matrix: its stdio rows take the command, its
    /// HTTP rows the URL.
    func checkTargets(for scenario: Scenario, rows: [MatrixRow]) throws {
        guard targetCommand != nil && targetURL != nil else { return }
        let transports = Set(rows.map { $0.transport ?? scenario.target.transport })
        guard transports.contains(.stdio) && transports.contains(where: \.isHTTP) else {
            throw InputError(
                "--target-command and --target-url name two servers; both are for a matrix with stdio and HTTP rows")
        }
    }

    /// Points one matrix row at the servers named on the command line: stdio rows at
    /// --target-command, HTTP rows at --target-url. A row left without a server it can speak to
    /// keeps the other one, and ``check(_:)`` says so.
    func applyTarget(toRow scenario: inout Scenario) {
        let words = targetCommand.map(CommandLineWords.split)
        switch (scenario.target.transport, words, targetURL) {
        case (.stdio, let words?, _): scenario.target.launch = .command(words)
        case (.stdio, nil, let url?): scenario.target.launch = .url(url)
        case (_, _, let url?): scenario.target.launch = .url(url)
        case (_, let words?, nil): scenario.target.launch = .command(words)
        case (_, nil, nil): break
        }
    }

    /// The scenario's thresholds plus those of `--threshold`, each checked against its steps.
    func addThresholds(to scenario: inout Scenario) throws {
        let parser = ThresholdParser(
            stepLabels: ScenarioParser.requestLabels(scenario.steps),
            leakDetectors: scenario.leaks?.detectorNames ?? LeakDetector.allCases)
        for text in thresholds {
            do {
                scenario.thresholds.append(try parser.parse(text))
            } catch {
                throw InputError("--threshold '\(text)': \(error.message)")
            }
        }
    }

    func apply(to scenario: inout Scenario) {
        if let virtualClients { scenario.load.virtualClients = virtualClients }
        if let duration, let parsed = DurationText.parse(duration), let pacer = scenario.load.pacer {
            // An open model at a constant rate: the same rate, for the new duration.
            if pacer.segments.count == 1, let rate = pacer.segments.first?.from {
                scenario.load.pacer = Pacer(rate: rate, stages: [], duration: parsed)
                scenario.load.duration = parsed
            }
        } else if let duration, let parsed = DurationText.parse(duration) {
            scenario.load.duration = parsed
            scenario.load.iterations = iterations
        } else if let iterations {
            scenario.load.iterations = iterations
        }
        // A matrix points each row at its own server (applyTarget(toRow:)); a single run is re-targeted whole.
        if scenario.matrix.isEmpty || transports.count > 1 {
            if let targetCommand {
                scenario.target = TargetSpec(launch: .command(CommandLineWords.split(targetCommand)))
            }
            if let targetURL, targetCommand == nil {
                scenario.target = TargetSpec(launch: .url(targetURL), transport: .http)
            }
        }
        for header in headers {
            if let (name, value) = try? Self.parseHeader(header) { scenario.target.headers[name] = value }
        }
        if transports.count == 1, let kind = transports.first {
            scenario.target.transport = kind
        }
    }

    static func parseHeader(_ text: String) throws -> (String, EnvironmentTemplate) {
        // The value is never echoed: it is usually a credential.
        guard let colon = text.firstIndex(of: ":") else {
            throw ValidationError("--header: an argument is not 'Name: value' (its value is not shown)")
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard HeaderName.isValid(name) else {
            throw ValidationError("--header: '\(name)' is not a valid header name")
        }
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard HeaderValue.isValid(value) else {
            throw ValidationError("--header \(name): the value holds a line break or control character")
        }
        do {
            return (name, try EnvironmentTemplate(parsing: value))
        } catch {
            throw ValidationError("--header \(name): \(error.message)")
        }
    }

    /// A transport the target cannot speak is bad input, found before any load.
    func check(_ scenario: Scenario) throws {
        switch (scenario.target.launch, scenario.target.transport) {
        case (.url, .stdio), (.httpCommand, .stdio):
            throw InputError("--transport stdio: the target is a URL; stdio needs a command to start")
        case (.command, .http), (.command, .sse):
            throw InputError(
                "--transport \(scenario.target.transport.rawValue): the target is a stdio command; give --target-url for an HTTP server"
            )
        default:
            break
        }
    }
}
