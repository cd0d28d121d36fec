import Foundation
import MCPLoadFuzz

#if FUZZING
import CLibFuzzer
#endif

/// The fuzzing executable. Built with `MCPLOAD_FUZZ=1` (scripts/fuzz), libFuzzer supplies
/// `main` and calls ``fuzz(_:_:)`` with each input, for the target named by
/// `MCPLOAD_FUZZ_TARGET`. Built normally, it replays input files through a target:
/// `mcpload-fuzz TARGET FILE...`, which is how a crash the fuzzer found is reproduced.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["MCPLOAD_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("MCPLOAD_FUZZ_TARGET must be one of: \(known)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    target.run(bytes)
    return 0
}

#if FUZZING
/// SwiftPM links every executable with its `main` renamed to this symbol: it starts
/// libFuzzer's driver, which then calls ``fuzz(_:_:)`` with each input.
@_cdecl("mcpload_fuzz_main")
func fuzzingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
#else
@main
enum Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let chosen = FuzzTarget(rawValue: name) else {
            let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            print("usage: mcpload-fuzz TARGET FILE...   (targets: \(known))")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(2)
            }
            chosen.run(Array(data))
        }
        print("\(arguments.count - 1) inputs ran through \(chosen.rawValue)")
    }
}
#endif
