// CallProgressTones: per-country call-progress tone plans (frequencies, on/off cadences) for us, uk, eu, au; editable tables.

/// One tone of a country's plan: which frequencies sound together and their on/off cadence.
public struct CallProgressCadence: Sendable, Hashable {
    public var tone: CallProgressTone
    /// Frequencies (Hz) that sound together during "on" (one or two).
    public var frequencies: [Double]
    /// Alternating on/off durations in milliseconds, starting with on, repeating; empty means continuous.
    public var pattern: [Int]
    /// How many consecutive on/off segments must match before the tone is reported (cadenced tones only).
    public var segmentsToConfirm: Int

    public init(_ tone: CallProgressTone, frequencies: [Double], pattern: [Int] = [], segmentsToConfirm: Int = 3) {
        self.tone = tone
        self.frequencies = frequencies
        self.pattern = pattern
        self.segmentsToConfirm = segmentsToConfirm
    }

    /// Whether the tone is continuous (no cadence).
    public var isContinuous: Bool { pattern.isEmpty }
}

/// A country's call-progress tones. The built-in plans follow the published national plans (ITU-T
/// E.180 Supplement 2 and the operators' own documents); build your own for other networks.
public struct CallProgressTones: Sendable, Hashable {
    public var country: String
    public var cadences: [CallProgressCadence]

    public init(country: String, cadences: [CallProgressCadence]) {
        self.country = country
        self.cadences = cadences
    }

    /// The plan for a config `tones` keyword (`us`, `uk`, `eu`, `au`), or nil.
    public static func named(_ country: String) -> CallProgressTones? {
        switch country.lowercased() {
        case "us": return .us
        case "uk": return .uk
        case "eu": return .eu
        case "au": return .au
        default: return nil
        }
    }

    /// North America (Precise Tone Plan): dial 350+440 continuous; ringback 440+480 2 s on 4 s off;
    /// busy 480+620 0.5/0.5 s; reorder 480+620 0.25/0.25 s.
    public static let us = CallProgressTones(country: "us", cadences: [
        CallProgressCadence(.dialTone, frequencies: [350, 440]),
        CallProgressCadence(.ringback, frequencies: [440, 480], pattern: [2000, 4000], segmentsToConfirm: 1),
        CallProgressCadence(.busy, frequencies: [480, 620], pattern: [500, 500]),
        CallProgressCadence(.reorder, frequencies: [480, 620], pattern: [250, 250]),
    ])

    /// United Kingdom (BT SIN 350): dial 350+450 continuous; ringing 400+450 0.4 on 0.2 off 0.4 on 2 off;
    /// busy 400 0.375/0.375 s; congestion ("equipment engaged") 400 0.4 on 0.35 off 0.225 on 0.525 off.
    public static let uk = CallProgressTones(country: "uk", cadences: [
        CallProgressCadence(.dialTone, frequencies: [350, 450]),
        CallProgressCadence(.ringback, frequencies: [400, 450], pattern: [400, 200, 400, 2000], segmentsToConfirm: 3),
        // Four segments: congestion's first on/off (400/350) also fits busy; its 225 ms burst tells them apart.
        CallProgressCadence(.busy, frequencies: [400], pattern: [375, 375], segmentsToConfirm: 4),
        CallProgressCadence(.reorder, frequencies: [400], pattern: [400, 350, 225, 525], segmentsToConfirm: 4),
    ])

    /// CEPT harmonised plan (ETSI TR 101 041, most of Europe): 425 Hz; dial continuous; ringback 1 s on
    /// 4 s off; busy 0.5/0.5 s; congestion 0.25/0.25 s.
    public static let eu = CallProgressTones(country: "eu", cadences: [
        CallProgressCadence(.dialTone, frequencies: [425]),
        CallProgressCadence(.ringback, frequencies: [425], pattern: [1000, 4000], segmentsToConfirm: 1),
        CallProgressCadence(.busy, frequencies: [425], pattern: [500, 500]),
        CallProgressCadence(.reorder, frequencies: [425], pattern: [250, 250]),
    ])

    /// Australia (ACIF S002): dial 425 Hz continuous (its 25 Hz modulation leaves the carrier dominant);
    /// ringback 400+450 0.4 on 0.2 off 0.4 on 2 off; busy 425 0.375/0.375 s. Congestion uses the busy
    /// cadence with alternate bursts 20 dB lower, which a cadence cannot tell apart, so it is reported as busy.
    public static let au = CallProgressTones(country: "au", cadences: [
        CallProgressCadence(.dialTone, frequencies: [425]),
        CallProgressCadence(.ringback, frequencies: [400, 450], pattern: [400, 200, 400, 2000], segmentsToConfirm: 3),
        CallProgressCadence(.busy, frequencies: [425], pattern: [375, 375]),
    ])
}
