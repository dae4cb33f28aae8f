// CallController+Media: each call's two port pairs and its relay session in the media engine.
import CallMedia
import Config
import Media
import MediaCore
import SIPCore
import SIPStack

extension CallController {
    /// Monotonic time for the port allocator's rest period.
    func portClock() -> Duration { ContinuousClock.now - started }

    /// Opens a port pair on each leg's side (the relay session is created once the offer is built).
    func openSockets(_ call: Call, config: GatewayConfig) throws {
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
    }

    /// Creates the relay session: the first leg toward its offer's address, the second leg's far end
    /// from its answer later; SRTP legs pass nothing until their keys are known.
    func createMediaSession(_ call: Call) throws {
        guard let media else { return }
        do {
            call.media = try media.createSession(a: legConfiguration(call, leg: 0), b: legConfiguration(call, leg: 1))
            startMediaPoll()
        } catch {
            for leg in 0..<2 { call.legs[leg].sockets?.close(); call.legs[leg].sockets = nil }
            throw CallSetupError(503, "the media engine refused the call: \(error)")
        }
    }

    /// The engine's view of one leg from the SDP its peer sent: far end, SRTP both ways, payload types, DTMF.
    func legConfiguration(_ call: Call, leg: Int) throws -> MediaLegConfiguration {
        var configuration = MediaLegConfiguration(sockets: call.legs[leg].sockets!, remote: nil)
        if let sdp = call.legs[leg].remoteSDP, let endpoint = try? MediaEndpoint(sdp) {
            configuration.remote = MediaAddress(endpoint.address, port: endpoint.rtpPort)
            configuration.remoteRTCP = MediaAddress(endpoint.rtcpAddress, port: endpoint.rtcpPort)
            configuration.telephoneEventPayloadType = endpoint.telephoneEvent.flatMap { UInt8(exactly: $0.payloadType) }
            configuration.clockRate = UInt32(endpoint.codec.clockRate)
        }
        configuration.secure = call.legs[leg].isSecure
        if let key = call.legs[leg].receiveKey { configuration.srtpReceive = try Self.context(key, .inbound) }
        if let key = call.legs[leg].sendKey {
            configuration.srtpSend = try Self.context(key, .outbound)
            // libsrtp2 refuses a repeated sequence number: the box re-originates what it sends in SRTP.
            var generator = SystemRandomNumberGenerator()
            configuration.rewriter = RTPStreamRewriter(outgoingSSRC: UInt32.random(in: 1...UInt32.max, using: &generator),
                                                       initialSequence: UInt16.random(in: 0...0x7FFF, using: &generator),
                                                       initialTimestamp: UInt32.random(in: 0...UInt32.max, using: &generator))
        }
        if let t = call.transcoding {
            let other = 1 - leg
            configuration.transcode = MediaTranscode(incoming: t.legs[leg].codec, incomingPayloadType: t.legs[leg].payloadType,
                                                     outgoing: t.legs[other].codec, outgoingPayloadType: t.legs[other].payloadType)
        }
        if let (legA, pairs) = call.payloadTypes {
            // What this leg receives, renumbered for the other leg; anything not negotiated is dropped.
            var map = PayloadTypeMap()
            for entry in pairs.entries {
                if leg == legA { map[entry.legA] = entry.legB } else { map[entry.legB] = entry.legA }
            }
            configuration.payloadTypeMap = map
        } else if !call.negotiated {
            // Nothing answered yet: what arrives cannot be known to suit the other leg (a packet can beat
            // the answer to the relay), so nothing passes until the answer sets the maps.
            configuration.payloadTypeMap = PayloadTypeMap()
        }
        return configuration
    }

    static func context(_ key: SRTPKey, _ direction: SRTPContext.Direction) throws -> SRTPContext {
        guard let suite = SRTPSuite(sdpName: key.suite.rawValue) else { throw CallSetupError(488, "SRTP suite \(key.suite) is not supported") }
        return try SRTPContext(key: SRTPKeyMaterial(suite: suite, keySalt: key.keySalt), direction: direction)
    }

    /// Points both legs at what their latest SDP says; a leg whose settings did not change is left alone
    /// (new SRTP contexts would restart the replay window and rollover counter).
    func updateMedia(_ call: Call) throws {
        guard let media, let id = call.media else { return }
        for leg in 0..<2 where call.legs[leg].sockets != nil {
            let endpoint = call.legs[leg].remoteSDP.flatMap { try? MediaEndpoint($0) }
            let signature = "\(endpoint.map { "\($0.address):\($0.rtpPort)/\($0.rtcpPort)" } ?? "-") "
                + "\(call.legs[leg].receiveKey?.keySalt ?? []) \(call.legs[leg].sendKey?.keySalt ?? []) "
                + "\(call.payloadTypes.map { "\($0.legA) \($0.pairs.pairs.map { "\($0.legA)>\($0.legB)" })" } ?? "")"
                + "\(call.transcoding.map { "\($0.legs.map { "\($0.codec)/\($0.payloadType)" })" } ?? "") \(call.negotiated)"
            guard signature != call.legs[leg].applied else { continue }
            try media.updateLeg(id, leg: leg == 0 ? .a : .b, legConfiguration(call, leg: leg))
            call.legs[leg].applied = signature
        }
    }

    /// Takes the media engine's events: final statistics for records, time-outs end calls.
    func pollMedia() {
        guard let media else { return }
        media.pollEvents { event in
            switch event {
            case .stats(let id, let stats):
                if let call = calls.values.first(where: { $0.media == id }) { call.mediaStats = stats }
            case .sessionDestroyed(let id, let stats):
                if lineSessionDestroyed(id, stats: stats) { break }
                if let (call, then) = endingSessions.removeValue(forKey: id) {
                    call.mediaStats = stats
                    writeRecord(call, then: then)
                }
            case .rtpTimeout(let id):
                if let call = calls.values.first(where: { $0.media == id }), call.phase == .confirmed, !call.onHold {
                    environment.log("call #\(call.number): no RTP on either leg; ending the call")
                    hangUp(call, cause: 408, reason: "media time-out", disposition: .answered)
                }
            case .lineAudioUp, .lineAudioDown, .lineAudioReleased, .lineCallProgress, .lineCallerID, .lineDigit, .lineDigitSent:
                onLineMediaEvent?(event)
            default:
                break
            }
        }
    }

    /// Takes the media engine's events now (the box's line polls while no call holds media).
    public func pollMediaEvents() { pollMedia() }
}
