// DemoSettings: the demo's embedded settings: the trunk's accounts and the box's config for the guide's
// example company, Architects (Sales and Engineering profiles), and the console commands it shows.
import Console
import Foundation
import Gateway

extension Demo {
    /// The emulated Skype Connect trunk: Architects' two SIP Profiles as the guide describes them.
    static func trunkConfig(tlsDir: String) -> String {
        """
        # The Skype Connect trunk of the demo (the emulator's format: Sources/TrunkEmulatorCore/EmulatorConfig.swift).
        listen udp \(DemoNet.trunk.host):\(DemoNet.trunk.udp)
        listen tls \(DemoNet.trunk.host):\(DemoNet.trunk.tls)
        tls-dir \(tlsDir)
        realm sip.skype.com
        media-address \(DemoNet.trunk.host)
        rtp-ports 45000-45999
        tone-seconds 3
        ring-ms 400

        profile Sales
         sip-user 99051000012345
         password Sales-Secret-1
         auth registration
         channels 4
         us-bundles 2
         credit 25.00
         rate us 0.023
         rate other 0.10
         verified-number +442071234567
         online-number +12026555376
         online-number +442071230000
         skype-name architects.sales
         caller-id +12026555376
         srtp on

        profile Engineering
         sip-user 99051000067890
         password Engineering-Secret-2
         auth registration
         channels 2
         us-bundles 0
         credit 10.00
         rate us 0.023
         rate other 0.12
         online-number +14155550100
         skype-name architects.engineering
         caller-id +14155550100
         srtp off

        # Not on the box at the start: docs/INSTALLER.md adds it from the console, as the guide's installer would.
        profile Support
         sip-user 99051000024680
         password Support-Secret-3
         auth registration
         channels 2
         us-bundles 1
         credit 5.00
         rate us 0.023
         rate other 0.10
         online-number +12025550177
         caller-id +12025550177
         srtp on

        """
    }

    /// The box: both profiles over TLS (Sales with SRTP required), Online Numbers mapped to extensions,
    /// extensions 300-399 on Engineering, North American dialling with access prefix 9.
    static func boxConfig(caFile: String) -> String {
        """
        hostname architects-demo
        !
        lan
         address \(DemoNet.boxLAN.host)
         sip-port \(DemoNet.boxLAN.port)
         transports udp tcp
        !
        wan
         address \(DemoNet.boxWAN.host)
         sip-port \(DemoNet.boxWAN.port)
         transports udp tcp
         tls-ca-file \(caFile)
        !
        pbx
         address \(DemoNet.pbx.host)
         port \(DemoNet.pbx.port)
        !
        profile sales
         registrar \(DemoNet.trunk.host):\(DemoNet.trunk.tls)
         transport tls
         srtp required
         sip-user 99051000012345
         password Sales-Secret-1
         channels 4
         us-bundles 2
         caller-id +12026555376
         default-extension 200
         verified-number +442071234567
         online-number +12026555376 extension 201
         online-number +442071230000 extension 202
         skype-name architects.sales extension 200
        !
        profile engineering
         registrar \(DemoNet.trunk.host):\(DemoNet.trunk.tls)
         transport tls
         srtp off
         sip-user 99051000067890
         password Engineering-Secret-2
         channels 2
         caller-id +14155550100
         default-extension 300
         online-number +14155550100 extension 301
         skype-name architects.engineering extension 300
        !
        routing
         emergency 911 112 999 000
         route extensions 300-399 profile engineering
         default-profile sales
        !
        numbering
         country-code 1
         national-prefix 1
         international-prefix 011
         access-prefix 9
        !
        line
         device demoline
         board simulated
         incoming-extension 200
         tones us
        !
        media
         rtp-ports 40000-40999
         codecs pcmu pcma g729

        """
    }
}

extension Demo {
    /// The demo's analog line: alsa-lib's `file` plugin over `null` (no sound card needed). The capture is
    /// the exchange's dial tone (US: 350 + 440 Hz), what the box plays to the line is written to a file.
    static func prepareLineAudio(dir: String) throws -> (config: String, playback: String) {
        let lineDir = dir + "/line"
        try FileManager.default.createDirectory(atPath: lineDir, withIntermediateDirectories: true)
        let capture = lineDir + "/capture.raw", playback = lineDir + "/playback.raw"
        if !FileManager.default.fileExists(atPath: capture) {
            // Five minutes of dial tone at about -13 dBm0, 16-bit little-endian mono at 8 kHz.
            var data = Data(capacity: 8000 * 2 * 300)
            for n in 0..<(8000 * 300) {
                let t = Double(n) / 8000
                let v = 2600 * (sin(2 * .pi * 350 * t) + sin(2 * .pi * 440 * t))
                let s = Int16(max(-32768, min(32767, v.rounded())))
                withUnsafeBytes(of: s.littleEndian) { data.append(contentsOf: $0) }
            }
            try data.write(to: URL(fileURLWithPath: capture))
        }
        try? FileManager.default.removeItem(atPath: playback)
        let config = lineDir + "/asound.conf"
        let text = """
            pcm.demoline {
              type asym
              playback.pcm { type file slave.pcm { type null } file "\(playback)" format "raw" }
              capture.pcm { type file slave.pcm { type null } infile "\(capture)" file "/dev/null" format "raw" }
            }

            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, playback)
    }
}

/// The console's answers to the commands the demo shows, from the box's own console back end (the text
/// an installer sees after typing them), without logging in: the demo leaves the console password to
/// whoever opens the console first.
struct DemoConsole {
    let backend: BoxConsoleBackend

    init(runner: BoxRunner) {
        backend = BoxConsoleBackend(service: runner.service, runtime: runner.box, version: runner.version, startedAt: Date())
    }

    func run(_ command: String) -> String {
        let parts = command.split(separator: " ").map(String.init)
        let text: String
        switch parts.first {
        case "show" where parts.count >= 2:
            switch parts[1] {
            case "calls": text = backend.showCalls()
            case "channels": text = backend.showChannels()
            case "status": text = backend.showStatus()
            case "registrations": text = backend.showRegistrations()
            case "cdr": text = backend.showCDR(month: nil, profile: nil, last: nil)
            case "report" where parts.count == 4 && parts[2] == "month":
                let ym = parts[3].split(separator: "-").compactMap { Int($0) }
                guard ym.count == 2, let m = ConsoleMonth(year: ym[0], month: ym[1]) else { return "% bad month \(parts[3])" }
                text = backend.showReport(month: m)
            default: text = "% the demo does not show '\(command)'\n"
            }
        default: text = "% the demo does not show '\(command)'\n"
        }
        return "trunkbox# \(command)\n" + (text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}
