// LineConfig: the analog (FXO-style) line: ALSA device, board pin map, where its calls go, fallback.

/// The analog line. `board` names a board profile (pin map) under board/; the `gpio*` pins, when set,
/// override the profile's pins.
public struct LineConfig: Sendable, Hashable {
    /// ALSA PCM name (`hw:0`, `plughw:1,0`, `default`, a configured plugin name).
    public var device: String
    public var board: String
    public var gpioChip: String?
    public var hookPin: Int?
    public var ringPin: Int?
    public var polarityPin: Int?
    /// PBX extension a ringing line is delivered to (nil: the line takes no incoming calls).
    public var incomingExtension: String?
    /// Whether calls of a profile that is down fall back to the line.
    public var fallback: Bool
    public var echoTailMilliseconds: Int
    public var callerIDStandard: LineCallerIDStandard
    /// Call-progress tone cadences of the line's country.
    public var tones: ToneCountry
    /// ALSA period in milliseconds (10 or 20).
    public var periodMilliseconds: Int
    /// Sample rate asked of the sound card (8000, 16000, 44100 or 48000). Above 8 kHz the line's audio is
    /// resampled (speexdsp) to and from the 8 kHz the telephony side runs at.
    public var rateHz: Int

    public init(device: String = "default", board: String = "generic-fxo", gpioChip: String? = nil,
                hookPin: Int? = nil, ringPin: Int? = nil, polarityPin: Int? = nil, incomingExtension: String? = nil,
                fallback: Bool = false, echoTailMilliseconds: Int = 64, callerIDStandard: LineCallerIDStandard = .bell202,
                tones: ToneCountry = .us, periodMilliseconds: Int = 20, rateHz: Int = 8000) {
        self.device = device
        self.board = board
        self.gpioChip = gpioChip
        self.hookPin = hookPin
        self.ringPin = ringPin
        self.polarityPin = polarityPin
        self.incomingExtension = incomingExtension
        self.fallback = fallback
        self.echoTailMilliseconds = echoTailMilliseconds
        self.callerIDStandard = callerIDStandard
        self.tones = tones
        self.periodMilliseconds = periodMilliseconds
        self.rateHz = rateHz
    }
}
