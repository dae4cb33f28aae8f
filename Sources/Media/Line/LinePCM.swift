// LinePCM: the line's ALSA capture and playback PCMs, opened and configured on the control side (non-blocking, S16_LE mono, 10/20 ms periods).
import CALSA
import CShim
import Glibc

/// The two PCMs of the line's sound card, opened and configured on the control side and handed to the
/// media thread, which reads and writes them (non-blocking) and never opens or closes them. Closed
/// on the control side once the thread reports it let go (`lineAudioReleased`, `lineAudioDown`) or
/// after the thread was joined.
final class LinePCM {
    static let maximumPollDescriptors = 4
    let device: String
    let capture: OpaquePointer
    let playback: OpaquePointer
    let format: LineAudioFormat
    let prefillFrames: Int
    let capturePoll: UnsafeMutablePointer<pollfd>
    let playbackPoll: UnsafeMutablePointer<pollfd>
    let capturePollCount: Int
    let playbackPollCount: Int
    private var closed = false

    /// Opens `configuration.device` both ways. Throws the fault ("open" stage) with alsa-lib's code.
    init(_ configuration: LineAudioConfiguration) throws(LineAudioFault) {
        device = configuration.device
        var cap: OpaquePointer?
        var pb: OpaquePointer?
        var rc = snd_pcm_open(&cap, configuration.device, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK)
        guard rc == 0, let cap else { throw LineAudioFault(stage: .open, code: -rc) }
        rc = snd_pcm_open(&pb, configuration.device, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
        guard rc == 0, let pb else {
            snd_pcm_close(cap)
            throw LineAudioFault(stage: .open, code: -rc)
        }
        let captureFormat: LineAudioFormat
        let playbackFormat: LineAudioFormat
        do throws(LineAudioFault) {
            captureFormat = try LinePCM.configure(cap, configuration, startFrames: 1)
            playbackFormat = try LinePCM.configure(pb, configuration, startFrames: nil)
            guard captureFormat == playbackFormat else { throw LineAudioFault(stage: .open, code: EINVAL) }
        } catch {
            snd_pcm_close(cap)
            snd_pcm_close(pb)
            throw error
        }
        capture = cap
        playback = pb
        format = captureFormat
        prefillFrames = Int(format.periodFrames) * configuration.playbackPrefillPeriods
        // Playback starts when the prefill is written.
        LinePCM.setSoftware(pb, startFrames: prefillFrames, periodFrames: Int(format.periodFrames), bufferFrames: Int(format.bufferFrames))
        capturePoll = .allocate(capacity: LinePCM.maximumPollDescriptors)
        playbackPoll = .allocate(capacity: LinePCM.maximumPollDescriptors)
        capturePoll.initialize(repeating: pollfd(fd: -1, events: 0, revents: 0), count: LinePCM.maximumPollDescriptors)
        playbackPoll.initialize(repeating: pollfd(fd: -1, events: 0, revents: 0), count: LinePCM.maximumPollDescriptors)
        capturePollCount = Int(max(0, snd_pcm_poll_descriptors(cap, capturePoll, UInt32(LinePCM.maximumPollDescriptors))))
        playbackPollCount = Int(max(0, snd_pcm_poll_descriptors(pb, playbackPoll, UInt32(LinePCM.maximumPollDescriptors))))
    }

    deinit {
        close()
        capturePoll.deallocate()
        playbackPoll.deallocate()
    }

    /// Closes both PCMs (once).
    func close() {
        guard !closed else { return }
        closed = true
        snd_pcm_close(capture)
        snd_pcm_close(playback)
    }

    // Mono S16_LE, interleaved, the rate nearest the one asked (8 kHz by default), the period nearest the configured one, a buffer
    // of `bufferPeriods` periods; prepared.
    private static func configure(_ pcm: OpaquePointer, _ configuration: LineAudioConfiguration,
                                  startFrames: Int?) throws(LineAudioFault) -> LineAudioFormat {
        var hw: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&hw) == 0, let hw else { throw LineAudioFault(stage: .open, code: ENOMEM) }
        defer { snd_pcm_hw_params_free(hw) }
        func check(_ rc: Int32) throws(LineAudioFault) { if rc < 0 { throw LineAudioFault(stage: .open, code: -rc) } }
        try check(snd_pcm_hw_params_any(pcm, hw))
        try check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED))
        try check(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE))
        try check(snd_pcm_hw_params_set_channels(pcm, hw, 1))
        var rate = UInt32(configuration.rate)
        var dir: Int32 = 0
        try check(snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &dir))
        var period = snd_pcm_uframes_t(Int(rate) * configuration.periodMilliseconds / 1000)
        dir = 0
        try check(snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &dir))
        var buffer = period * snd_pcm_uframes_t(configuration.bufferPeriods)
        try check(snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer))
        try check(snd_pcm_hw_params(pcm, hw))
        // The media thread moves exactly one configured period per period of its clock.
        guard Int(period) == Int(rate) * configuration.periodMilliseconds / 1000 else { throw LineAudioFault(stage: .open, code: EINVAL) }
        if let startFrames {
            setSoftware(pcm, startFrames: startFrames, periodFrames: Int(period), bufferFrames: Int(buffer))
        }
        try check(snd_pcm_prepare(pcm))
        return LineAudioFormat(rate: rate, periodFrames: UInt32(period), bufferFrames: UInt32(buffer))
    }

    private static func setSoftware(_ pcm: OpaquePointer, startFrames: Int, periodFrames: Int, bufferFrames: Int) {
        var sw: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&sw) == 0, let sw else { return }
        defer { snd_pcm_sw_params_free(sw) }
        guard snd_pcm_sw_params_current(pcm, sw) == 0 else { return }
        _ = snd_pcm_sw_params_set_start_threshold(pcm, sw, snd_pcm_uframes_t(startFrames))
        _ = snd_pcm_sw_params_set_avail_min(pcm, sw, snd_pcm_uframes_t(periodFrames))
        _ = snd_pcm_sw_params(pcm, sw)
    }

    // The plain-value form the media thread gets.
    func spec(adapter: LineRateAdapter?) -> LineDeviceSpec {
        LineDeviceSpec(capture: capture, playback: playback, format: format, prefillFrames: prefillFrames,
                       capturePoll: capturePoll, capturePollCount: capturePollCount,
                       playbackPoll: playbackPoll, playbackPollCount: playbackPollCount, adapter: adapter)
    }
}

// The line's device as the media thread receives it (handles owned by a LinePCM on the control side).
struct LineDeviceSpec {
    var capture: OpaquePointer
    var playback: OpaquePointer
    var format: LineAudioFormat
    var prefillFrames: Int
    var capturePoll: UnsafeMutablePointer<pollfd>
    var capturePollCount: Int
    var playbackPoll: UnsafeMutablePointer<pollfd>
    var playbackPollCount: Int
    var adapter: LineRateAdapter?
}
