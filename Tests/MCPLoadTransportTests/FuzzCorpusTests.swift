import Foundation
import MCPLoadFuzz
import Testing

/// The fuzzers' seed corpora, and every input a fuzzer once crashed on, run through their
/// targets in the ordinary test build: what the fuzzer found stays fixed.
@Suite("Fuzz corpora")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    @Test("every seed input runs through its target without breaking an invariant", arguments: FuzzTarget.allCases)
    func seeds(target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!files.isEmpty)
        for file in files {
            target.run(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
        }
    }
}
