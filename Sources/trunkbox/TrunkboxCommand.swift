// TrunkboxCommand: the top-level command and its subcommands.
import ArgumentParser

struct TrunkboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trunkbox",
        abstract: "SIP trunk gateway: bridges an office PBX to a Skype Connect SIP trunk and an analog line.",
        subcommands: [DemoCommand.self, RunCommand.self, ConsoleCommand.self, SIPCommand.self, TrunkCommand.self, EmulateTrunkCommand.self, VersionCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

struct SIPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip",
        abstract: "SIP tools for installers.",
        subcommands: [SIPCheckCommand.self]
    )
}
