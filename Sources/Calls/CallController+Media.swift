// CallController+Media: each call's two port pairs and its relay session in the media engine.
import Config
import Media
import MediaCore
import SIPCore
import SIPStack

extension CallController {
    /// Monotonic time for the port allocator's rest period.
    func portClock() -> Duration { ContinuousClock.now - started }

    /// Opens a port pair on each leg's side and creates the relay session (first leg toward its offer's
    /// address; second leg's far end follows its answer).
    func openMedia(_ call: Call, config: GatewayConfig) throws {
        let range = config.media.rtpPortLow...config.media.rtpPortHigh
        if ports == nil || portRange != range {
            guard let low = UInt16(exactly: range.lowerBound), let high = UInt16(exactly: range.upperBound),
                  let allocator = try? RTPPortAllocator(range: low...high, restTime: .seconds(4)) else {
                throw CallSetupError(503, "the RTP port range \(range) is not usable")
            }
            if ports == nil || ports!.inUse == 0 {
                ports = allocator
                portRange = range
            }
        }
        var opened: [MediaSocketPair] = []
        do {
            for leg in 0..<2 {
                let side = call.legs[leg].side
                let ip = transactions.transport.localAddress(side: side, transport: .udp)?.ipAddress
                    ?? transactions.transport.localAddress(side: side, transport: .tcp)?.ipAddress ?? "127.0.0.1"
                let now = portClock()
                ports!.advance(to: now)
                var pair: MediaSocketPair?
                // A port still bound by something else is skipped (it stays allocated until the call ends).
                for _ in 0..<8 where pair == nil {
                    guard let p = ports!.allocate(now: now) else { throw CallSetupError(503, "no free RTP ports") }
                    call.ports.append(p.rtp)
                    guard let address = MediaAddress(ip, port: p.rtp) else { throw CallSetupError(503, "bad media address \(ip)") }
                    pair = try? MediaSocketPair.open(local: address, rtcpMux: false)
                }
                guard let pair else { throw CallSetupError(503, "cannot bind RTP sockets") }
                opened.append(pair)
                call.legs[leg].sockets = pair
                call.legs[leg].mediaAddress = pair.local
            }
        } catch {
            for pair in opened { pair.close() }
            for leg in 0..<2 { call.legs[leg].sockets = nil }
            throw error
        }
        guard let media else { return }
        do {
            call.media = try media.createSession(a: legConfiguration(call, leg: 0), b: legConfiguration(call, leg: 1))
        } catch {
            for pair in opened { pair.close() }
            throw CallSetupError(503, "the media engine refused the call: \(error)")
        }
    }

    /// The engine's view of one leg from the SDP its peer sent.
    func legConfiguration(_ call: Call, leg: Int) -> MediaLegConfiguration {
        var configuration = MediaLegConfiguration(sockets: call.legs[leg].sockets!, remote: nil)
        if let sdp = call.legs[leg].remoteSDP, let m = sdp.media.first(where: { $0.port != 0 && $0.isRTP }),
           let c = sdp.effectiveConnection(of: m), !c.isUnspecified {
            configuration.remote = MediaAddress(c.address, port: m.port)
            if let te = m.attributes.first(where: { $0.hasName("rtpmap") && ($0.value ?? "").lowercased().contains("telephone-event") }),
               let pt = UInt8((te.value ?? "").split(separator: " ").first ?? "") {
                configuration.telephoneEventPayloadType = pt
            }
        }
        return configuration
    }

    /// Points both legs at the far ends their latest SDP names.
    func updateMedia(_ call: Call) throws {
        guard let media, let id = call.media else { return }
        for leg in 0..<2 where call.legs[leg].sockets != nil {
            try media.updateLeg(id, leg: leg == 0 ? .a : .b, legConfiguration(call, leg: leg))
        }
        if let sdp = call.legs[1].remoteSDP, let m = sdp.media.first(where: { $0.port != 0 }), let pt = m.formats.first {
            call.codec = Self.codecName(pt, m)
        }
    }

    static func codecName(_ pt: String, _ m: SDPMedia) -> String {
        switch pt {
        case "0": return "PCMU"
        case "8": return "PCMA"
        case "18": return "G729"
        default:
            let map = m.attributes.first { $0.hasName("rtpmap") && ($0.value ?? "").hasPrefix(pt + " ") }
            return map?.value?.split(separator: " ").dropFirst().first.map { String($0.split(separator: "/")[0]) } ?? pt
        }
    }

    /// Takes the media engine's events: final statistics for records, time-outs end calls.
    func pollMedia() {
        guard let media else { return }
        media.pollEvents { event in
            switch event {
            case .stats(let id, let stats):
                if let call = calls.values.first(where: { $0.media == id }) { call.mediaStats = stats }
            case .sessionDestroyed:
                break
            case .rtpTimeout(let id):
                if let call = calls.values.first(where: { $0.media == id }), call.phase == .confirmed, !call.onHold {
                    environment.log("call #\(call.number): no RTP on either leg; ending the call")
                    hangUp(call, cause: 408, reason: "media time-out", disposition: .answered)
                }
            default:
                break
            }
        }
    }
}
