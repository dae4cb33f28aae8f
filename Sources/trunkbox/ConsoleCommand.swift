// ConsoleCommand: `trunkbox console`, the installer's console on a box running on this machine (its local socket).
import ArgumentParser
import Console
import Foundation

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console of the trunkbox running on this machine."
    )

    @Option(help: "The box's console socket.")
    var socket: String = DefaultSettings.consoleSocket

    func run() throws {
        let status = ConsoleClient.run(path: socket, report: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        if status != 0 { throw ExitCode(status) }
    }
}
