// VersionCommand: prints the firmware version and the C libraries it runs on.
import ArgumentParser
import CShim

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print versions of trunkbox and its C libraries.")

    static let firmwareVersion = "0.1.0"

    func run() {
        print("trunkbox \(Self.firmwareVersion)")
        for (name, version) in Self.libraries() { print("  \(name) \(version)") }
    }

    /// Asks each linked C library for its version, which also proves every one is linked in.
    static func libraries() -> [(String, String)] {
        [("openssl", String(cString: tb_openssl_version())),
         ("libsrtp2", String(cString: tb_srtp_version())),
         ("alsa-lib", String(cString: tb_alsa_version())),
         ("libgpiod", String(cString: tb_gpiod_version())),
         ("sqlite", String(cString: tb_sqlite_version()))]
    }
}
