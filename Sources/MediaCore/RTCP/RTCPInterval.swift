// RTCPInterval: when to send the next RTCP compound packet, and the running average RTCP size (RFC 3550 §6.3, A.7).
// Realtime: arithmetic only; the random factor is passed in, no clock or generator is read.

/// RTCP transmission interval of RFC 3550 A.7 (`rtcp_interval`), without timer reconsideration.
public enum RTCPInterval {
    /// Minimum interval between reports (§6.2): 5 s, halved before the first report.
    @inlinable public static var minimumSeconds: Double { 5 }
    /// e − 3/2: compensates the randomisation's bias toward shorter intervals (A.7).
    @inlinable public static var compensation: Double { 2.71828 - 1.5 }

    /// Seconds until the next report.
    /// - Parameters:
    ///   - members: participants in the session, this one included (2 for a call leg).
    ///   - senders: participants that sent RTP since the last report.
    ///   - bandwidth: RTCP bandwidth in octets per second (5 % of the session bandwidth, §6.2).
    ///   - weSent: this participant sent RTP since the last report.
    ///   - averageSize: running average compound RTCP size in octets, IP and UDP headers included.
    ///   - initial: no report sent yet (minimum halved).
    ///   - random: uniform in 0..<1 from the caller's generator; the interval is scaled by 0.5 + random.
    ///   - minimumSeconds: the minimum before halving and randomisation (§6.2's 5 s unless a profile or
    ///     a test says otherwise).
    @inlinable
    public static func seconds(members: Int, senders: Int, bandwidth: Double, weSent: Bool,
                               averageSize: Double, initial: Bool, random: Double,
                               minimumSeconds: Double = RTCPInterval.minimumSeconds) -> Double {
        let minimum = initial ? minimumSeconds / 2 : minimumSeconds
        var n = Double(max(members, 1))
        var bw = bandwidth
        // Senders get a quarter of the RTCP bandwidth when they are at most a quarter of the members.
        if Double(senders) <= Double(members) * 0.25 {
            if weSent {
                bw *= 0.25
                n = Double(max(senders, 1))
            } else {
                bw *= 0.75
                n = Double(max(members - senders, 1))
            }
        }
        var t = bw > 0 ? averageSize * n / bw : minimum
        if !(t >= minimum) { t = minimum }
        let r = random.isNaN ? 0.5 : min(max(random, 0), 1)
        return t * (r + 0.5) / compensation
    }

    /// The running average of compound RTCP sizes (A.7: avg = size/16 + avg·15/16), updated for each
    /// RTCP packet sent or received.
    @inlinable
    public static func updatedAverageSize(_ average: Double, packetSize: Int) -> Double {
        Double(packetSize) / 16 + average * 15 / 16
    }
}
