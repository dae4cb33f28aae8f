// EmulatorTLS: the trunk emulator's TLS material: a test CA and a server certificate made on first run.
import CShim
import Foundation
import SIPStack
import TrunkEmulatorCore

/// Where the emulator's TLS files are, and the transport settings that serve them.
public struct EmulatorTLS: Sendable {
    /// The test CA the box must trust (`wan tls-ca-file`).
    public let caFile: String
    public let certificateFile: String
    public let privateKeyFile: String
    /// Whether this run made the files (first run).
    public let created: Bool

    /// The TLS files in `directory`, made when missing: a P-256 CA and a server certificate for
    /// `localhost`, 127.0.0.1 and the listen addresses, valid for a year.
    public static func prepare(directory: String, addresses: [String]) throws -> EmulatorTLS {
        let ca = directory + "/ca.pem", cert = directory + "/server.pem", key = directory + "/server.key"
        let fm = FileManager.default
        let present = [ca, cert, key].allSatisfy { fm.fileExists(atPath: $0) }
        if !present {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw EmulatorTLSError("cannot make the TLS directory \(directory): \(error.localizedDescription)")
            }
            let ips = Set(["127.0.0.1"] + addresses.filter { $0 != "0.0.0.0" }).sorted()
            let san = (["DNS:localhost", "DNS:sip.skype.com"] + ips.map { "IP:\($0)" }).joined(separator: ",")
            guard tb_make_test_pki(directory, "Skype Connect emulator test CA", san, 365) == 0 else {
                throw EmulatorTLSError("cannot make the test CA and certificate in \(directory) (OpenSSL or the file system failed)")
            }
        }
        return EmulatorTLS(caFile: ca, certificateFile: cert, privateKeyFile: key, created: !present)
    }

    /// Transport settings that serve this certificate on TLS listeners.
    public var transportSettings: SIPTransportLayer.Settings {
        var s = SIPTransportLayer.Settings()
        s.tls = SIPTLSSettings(caFile: caFile, certificateFile: certificateFile, privateKeyFile: privateKeyFile)
        return s
    }

    /// The emulator's TLS material for `config` (nil when it listens on no TLS port).
    public static func forConfig(_ config: EmulatorConfig) throws -> EmulatorTLS? {
        guard let dir = config.tlsDirectory, config.listens.contains(where: { $0.transport == "tls" }) else { return nil }
        return try prepare(directory: dir, addresses: config.listens.map(\.host))
    }
}

public struct EmulatorTLSError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
