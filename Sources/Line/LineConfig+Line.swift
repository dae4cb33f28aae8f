// LineConfig+Line: turns the config's `line` block into the line's options, ring cadence and effective board profile.
import Config
import LineCore

extension RingCadence {
    /// The ring cadence of a tone country.
    public init(country: ToneCountry) {
        switch country {
        case .us: self = .us
        case .uk: self = .uk
        case .eu: self = .eu
        case .au: self = .au
        }
    }
}

extension LineOptions {
    /// The options of a configured line. UK lines with V.23 caller ID send it before the first ring,
    /// announced by a polarity reversal (BT SIN 227); elsewhere it comes between the first and second ring.
    public init(config: LineConfig) {
        self.init(incomingExtension: config.incomingExtension,
                  callerIDBeforeRing: config.tones == .uk && config.callerIDStandard == .v23)
    }
}

extension BoardProfile {
    /// The profile with the config's `gpio-chip` and `gpio hook|ring|polarity` overrides applied.
    public func applying(_ config: LineConfig) throws(BoardProfileError) -> BoardProfile {
        var offsets: [GPIORole: Int] = [:]
        if let pin = config.hookPin { offsets[.hookRelay] = pin }
        if let pin = config.ringPin { offsets[.ringDetect] = pin }
        if let pin = config.polarityPin { offsets[.polarity] = pin }
        return try overriding(chip: config.gpioChip, offsets: offsets)
    }
}
