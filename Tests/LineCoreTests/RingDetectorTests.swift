// RingDetector tests: US and UK cadences, pulsed and bouncing inputs, glitches, the caller giving up.
import LineCore
import Testing

@Suite struct RingDetectorTests {
    @Test func usCadenceGivesOneRingPerBurstAndStopsAfterThePausePlusMargin() {
        var detector = RingDetector(settings: .init(cadence: .us))
        var signal = RingSignal()
        signal.rings(.us, count: 3)
        let events = drive(&detector, signal, until: 30_000)

        let starts = events.filter { $0.event.isStart }
        #expect(starts.map(\.event) == [.ringStarted(number: 1, atMilliseconds: 0),
                                        .ringStarted(number: 2, atMilliseconds: 6_000),
                                        .ringStarted(number: 3, atMilliseconds: 12_000)])
        // Confirmed after the minimum burst (150 ms), not on the first pulse.
        #expect(starts.map(\.at) == [150, 6_150, 12_150])

        let rings = events.compactMap { $0.event.ring }
        #expect(rings.map(\.number) == [1, 2, 3])
        #expect(rings.allSatisfy { $0.matchesCadence && $0.burstMilliseconds == [1_975] })
        #expect(rings.last?.endedAtMilliseconds == 13_975)

        let stopped = events.filter { $0.event.stoppedRings != nil }
        #expect(stopped.count == 1)
        #expect(stopped.first?.event == .ringingStopped(rings: 3, atMilliseconds: 19_975))
        #expect(detector.ringCount == 0)
        #expect(detector.nextDeadlineMilliseconds == nil)
    }

    @Test func ukDoubleRingIsOneRingOfTwoBursts() {
        var detector = RingDetector(settings: .init(cadence: .uk))
        var signal = RingSignal()
        signal.rings(.uk, count: 2)
        let events = drive(&detector, signal, until: 9_000)
        #expect(events.filter { $0.event.isStart }.map(\.event) == [.ringStarted(number: 1, atMilliseconds: 0),
                                                                     .ringStarted(number: 2, atMilliseconds: 3_000)])
        let rings = events.compactMap { $0.event.ring }
        #expect(rings.count == 2)
        #expect(rings.allSatisfy { $0.burstMilliseconds.count == 2 && $0.matchesCadence })
        #expect(rings.first?.endedAtMilliseconds == 975)
        #expect(events.last?.event == .ringingStopped(rings: 2, atMilliseconds: 7_975))
    }

    @Test func aDoubleRingOnAUSDetectorIsTwoRingsThatDoNotMatchTheCadence() {
        var detector = RingDetector(settings: .init(cadence: .us))
        var signal = RingSignal()
        signal.rings(.uk, count: 1)
        let rings = drive(&detector, signal, until: 2_000).compactMap { $0.event.ring }
        #expect(rings.map(\.number) == [1, 2])
        #expect(rings.allSatisfy { !$0.matchesCadence })
    }

    @Test func glitchesShorterThanTheMinimumAreRejected() {
        var detector = RingDetector(settings: .init(cadence: .us, minimumBurstMilliseconds: 150))
        var signal = RingSignal()
        signal.burst(at: 100, milliseconds: 20, pulsed: false)     // a click
        signal.burst(at: 1_000, milliseconds: 100)                 // 100 ms of pulses
        signal.bounce(at: 2_000, count: 6, ending: false)          // chatter from a relay nearby
        let events = drive(&detector, signal, until: 20_000)
        #expect(events.isEmpty)
        #expect(detector.glitchesRejected == 3)
    }

    @Test func aGlitchInsideAUKRingDoesNotSplitIt() {
        var detector = RingDetector(settings: .init(cadence: .uk))
        var signal = RingSignal()
        signal.rings(.uk, count: 1)
        signal.burst(at: 480, milliseconds: 5, pulsed: false)      // in the 0.2 s gap, released before the next burst
        let rings = drive(&detector, signal, until: 2_000).compactMap { $0.event.ring }
        #expect(rings.count == 1)
        #expect(rings.first?.burstMilliseconds.count == 2)
        #expect(detector.glitchesRejected == 1)
    }

    @Test func aSteadyInputWithContactBounceIsOneCleanRing() {
        var detector = RingDetector(settings: .init(cadence: .us))
        var signal = RingSignal()
        signal.bounce(at: 0, count: 7, ending: true)
        signal.bounce(at: 2_000, count: 7, ending: false)
        let events = drive(&detector, signal, until: 3_000)
        #expect(events.count == 2)
        let ring = events.compactMap { $0.event.ring }.first
        #expect(ring?.startedAtMilliseconds == 0)  // bounce inside the release time is one energy, from its first edge
        #expect(ring?.endedAtMilliseconds == 2_006)  // to its last fall
        #expect(ring?.matchesCadence == true)
    }

    @Test func callerGivingUpAfterOneRingStopsAndTheNextCallCountsFromOne() {
        var detector = RingDetector(settings: .init(cadence: .us, giveUpMarginMilliseconds: 1_500))
        var signal = RingSignal()
        signal.rings(.us, count: 1)
        signal.rings(.us, count: 1, from: 20_000)
        let events = drive(&detector, signal, until: 30_000)
        let stops = events.filter { $0.event.stoppedRings != nil }
        #expect(stops.map(\.event) == [.ringingStopped(rings: 1, atMilliseconds: 7_475),
                                       .ringingStopped(rings: 1, atMilliseconds: 27_475)])
        #expect(stops.first?.at == 7_480)  // reported at the first tick after the deadline
        #expect(events.filter { $0.event.isStart }.map(\.event) == [.ringStarted(number: 1, atMilliseconds: 0),
                                                                     .ringStarted(number: 1, atMilliseconds: 20_000)])
    }

    @Test func aClockThatStepsBackIsHeldNotFollowed() {
        var detector = RingDetector()
        _ = detector.input(true, nowMilliseconds: 1_000)
        _ = detector.input(false, nowMilliseconds: 500)
        _ = detector.input(true, nowMilliseconds: 400)
        let events = detector.tick(nowMilliseconds: 1_200)
        #expect(events == [.ringStarted(number: 1, atMilliseconds: 1_000)])
    }

    @Test func cadenceRingGap() {
        #expect(RingCadence.us.ringGapMilliseconds == 0)
        #expect(RingCadence.uk.ringGapMilliseconds == 400)
        #expect(RingCadence([]) == .us)
        #expect(RingCadence([.init(on: 0, off: 100)]) == .us)
        #expect(RingCadence.uk.cycleMilliseconds == 3_000)
    }
}
