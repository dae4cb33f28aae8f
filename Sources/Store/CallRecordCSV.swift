// CallRecordCSV: call records as CSV (RFC 4180: CRLF line ends, fields with comma, quote or line break quoted).

enum CallRecordCSV {
    static let columns = [
        "id", "call_id", "profile", "direction", "caller", "called", "online_number", "extension",
        "start_utc", "answer_utc", "end_utc", "billable_seconds", "billable_minutes", "disposition", "sip_cause",
        "billing", "codec", "srtp",
        "pbx_packets_sent", "pbx_packets_received", "pbx_packets_lost", "pbx_jitter_ms", "pbx_mos",
        "trunk_packets_sent", "trunk_packets_received", "trunk_packets_lost", "trunk_jitter_ms", "trunk_mos",
        "pbx_rtt_ms", "trunk_rtt_ms", "echo_erle_db",
    ]

    /// The header line and one line per record, each ended by CRLF.
    static func render(_ records: [CallRecord]) -> String {
        var out = line(columns)
        for record in records { out += line(fields(of: record)) }
        return out
    }

    static func fields(of r: CallRecord) -> [String] {
        func leg(_ stats: CallLegStats?) -> [String] {
            guard let stats else { return ["", "", "", "", ""] }
            return [String(stats.packetsSent), String(stats.packetsReceived), String(stats.packetsLost),
                    fixed(stats.jitterMilliseconds, decimals: 1), stats.mos.map { fixed($0, decimals: 2) } ?? ""]
        }
        func rtt(_ stats: CallLegStats?) -> String {
            stats?.roundTripMilliseconds.map { fixed($0, decimals: 1) } ?? ""
        }
        return [
            r.id.map(String.init) ?? "", r.callID, r.profile, r.direction.rawValue, r.caller, r.called,
            r.onlineNumber ?? "", r.pbxExtension ?? "",
            r.start.iso8601, r.answer?.iso8601 ?? "", r.end.iso8601,
            String(r.billableSeconds), String(r.billableMinutes), r.disposition.rawValue, String(r.sipCause),
            r.billing.rawValue, r.codec ?? "", r.srtp ? "yes" : "no",
        ] + leg(r.pbxLeg) + leg(r.trunkLeg) + [rtt(r.pbxLeg), rtt(r.trunkLeg), r.echoERLEDB.map { fixed($0, decimals: 1) } ?? ""]
    }

    /// One CSV record with its CRLF.
    static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    /// The field as RFC 4180 §2 wants it: quoted when it holds a comma, a double quote, CR or LF,
    /// with each double quote doubled.
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return field }
        var out = "\""
        for character in field.unicodeScalars {
            if character == "\"" { out += "\"\"" } else { out.unicodeScalars.append(character) }
        }
        return out + "\""
    }

    /// `value` rounded half away from zero to `decimals` places, without exponent notation.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(value) }
        let whole = Int64(scaled)
        let divisor = Int64(scale)
        let sign = value < 0 && whole != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        return sign + String(whole / divisor) + "." + pad(Int(whole % divisor), decimals)
    }
}
