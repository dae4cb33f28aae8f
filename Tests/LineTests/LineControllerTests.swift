// LineController tests on the simulated GPIO: rings become an offer with caller ID, answering closes the hook relay, LEDs follow.
import Config
import Line
import LineCore
import Testing

private let profileText = """
    trunkbox-board 1
    chip gpiochip0
    pin hook-relay 17
    pin ring-detect 27 active-low
    pin polarity 22 active-low
    pin led-power 5
    pin led-trunk 6
    pin led-line 13
    pin led-fault 19
    pin reset-button 26 active-low
    """

/// A controller on a simulated board, with the audio device up at time 0.
private func makeLine(_ options: LineOptions = LineOptions(incomingExtension: "200"),
                      cadence: RingCadence = .us) throws -> (LineController, SimulatedGPIO) {
    let gpio = SimulatedGPIO()
    let line = try LineController(profile: try BoardProfile.parse(profileText), backend: gpio, options: options,
                                  ringSettings: RingDetector.Settings(cadence: cadence), nowMilliseconds: 0)
    _ = line.handle(.audioDevice(up: true), nowMilliseconds: 0)
    return (line, gpio)
}

/// Ticks every 10 ms over (from, to] and returns the outputs with their times.
private func run(_ line: LineController, from: Int64, to: Int64) -> [(at: Int64, output: LineController.Output)] {
    var outputs: [(at: Int64, output: LineController.Output)] = []
    var t = from + 10
    while t <= to {
        outputs += line.tick(nowMilliseconds: t).map { (t, $0) }
        t += 10
    }
    return outputs
}

private func offers(_ outputs: [(at: Int64, output: LineController.Output)]) -> [(LineCallID, String, CallerID?)] {
    outputs.compactMap {
        if case .line(.offerCall(let id, let ext, let caller)) = $0.output { (id, ext, caller) } else { nil }
    }
}

@Suite struct LineControllerTests {
    @Test func aSimulatedUSRingWithCallerIDBecomesAnOfferAndAnsweringClosesTheHook() throws {
        let (line, gpio) = try makeLine()
        #expect(!gpio.hookClosed)
        #expect(gpio.physicalLevel(.ringDetect) == true)  // active-low input idles high
        gpio.simulateRing(.us, count: 3, atMilliseconds: 1_000)

        // First ring: the line rings, caller ID is listened for; no offer yet.
        var outputs = run(line, from: 0, to: 3_500)
        #expect(outputs.contains { $0.output == .line(.listenForCallerID(true)) })
        #expect(offers(outputs).isEmpty)
        #expect(line.state == .ringing)
        #expect(line.ringCount == 1)
        #expect(line.leds.line == .blinkFast)

        // The FSK decoder (the DSP) hears caller ID between the rings: the call is offered with it.
        let caller = CallerID(number: "+15551234567", name: "ALICE SMITH")
        outputs = line.handle(.callerID(caller), nowMilliseconds: 3_600).map { (3_600, $0) }
        let offer = try #require(offers(outputs).first)
        #expect(offer.1 == "200")
        #expect(offer.2 == caller)
        #expect(!gpio.hookClosed)  // still ringing toward the PBX

        // The PBX answers during the second ring: the hook relay closes, the ring stops being counted as a new call.
        _ = run(line, from: 3_600, to: 7_500)
        outputs = line.handle(.pbxAnswered(offer.0), nowMilliseconds: 7_500).map { (7_500, $0) }
        #expect(gpio.hookClosed)
        #expect(gpio.physicalLevel(.hookRelay) == true)
        #expect(outputs.map(\.output) == [.line(.startAudio), .line(.activityChanged(.inUse))])
        #expect(line.state == .connected(offer.0, .incoming))
        #expect(line.leds.line == .blinkSlow)

        // The rest of the scripted ring (as if the exchange were slow to trip it) changes nothing.
        outputs = run(line, from: 7_500, to: 30_000)
        #expect(offers(outputs).isEmpty)
        #expect(gpio.hookClosed)

        // Busy tone on the line: the PBX leg ends and the relay opens.
        outputs = line.handle(.callProgress(.busy), nowMilliseconds: 30_000).map { (30_000, $0) }
        #expect(outputs.map(\.output) == [.line(.endCall(offer.0, .busyTone)), .line(.stopAudio)])
        #expect(!gpio.hookClosed)
        _ = run(line, from: 30_000, to: 31_100)
        #expect(line.state == .idle)
    }

    @Test func ringTripStopsTheSimulatedRingWhenTheLineIsAnswered() throws {
        let (line, gpio) = try makeLine()
        gpio.ringTrip = true
        gpio.simulateRing(.us, count: 3, atMilliseconds: 1_000)
        _ = run(line, from: 0, to: 3_500)
        var outputs: [(at: Int64, output: LineController.Output)] =
            line.handle(.callerID(CallerID(number: "2025550142", name: "ADA LOVELACE")), nowMilliseconds: 3_600).map { (3_600, $0) }
        let offer = try #require(offers(outputs).first)

        // Answered in the middle of a pulse of the second ring (7 s to 9 s; pulses 7500-7525): the exchange
        // trips the ring, so the rest of the script (and the third ring at 13 s) never comes.
        _ = run(line, from: 3_600, to: 7_510)
        #expect(gpio.isActive(.hookRelay) == false)
        #expect(line.ringCount == 2)
        outputs = line.handle(.pbxAnswered(offer.0), nowMilliseconds: 7_510).map { (7_510, $0) }
        #expect(gpio.hookClosed)
        #expect(gpio.pendingInputs == 1)  // only the release of the ring input, at the last time read
        outputs = run(line, from: 7_510, to: 13_300)
        #expect(line.ringCount == 2)  // the third ring (13 s, confirmed at 13.15 s) never came
        outputs += run(line, from: 13_300, to: 30_000)
        #expect(gpio.pendingInputs == 0)
        #expect(gpio.physicalLevel(.ringDetect) == true)  // released (active-low idles high)
        #expect(!outputs.contains { if case .line(.ignored) = $0.output { true } else { false } })
        #expect(offers(outputs).isEmpty)
        #expect(line.state == .connected(offer.0, .incoming))

        // Without ring trip the same script rings on into the answered line (the third ring).
        let (slow, slowGPIO) = try makeLine()
        slowGPIO.simulateRing(.us, count: 3, atMilliseconds: 1_000)
        _ = run(slow, from: 0, to: 3_500)
        let slowOffer = try #require(offers(slow.handle(.callerID(CallerID(number: "2025550142")), nowMilliseconds: 3_600).map { (3_600, $0) }).first)
        _ = run(slow, from: 3_600, to: 7_510)
        _ = slow.handle(.pbxAnswered(slowOffer.0), nowMilliseconds: 7_510)
        let slowOutputs = run(slow, from: 7_510, to: 13_300)
        #expect(slow.ringCount == 3)
        #expect(slowOutputs.contains { if case .line(.ignored) = $0.output { true } else { false } })
    }

    @Test func aUKDoubleRingIsOfferedOnTheSecondRingWithoutCallerID() throws {
        let (line, gpio) = try makeLine(cadence: .uk)
        gpio.simulateRing(.uk, count: 2, atMilliseconds: 0)
        let outputs = run(line, from: 0, to: 3_500)
        let offer = try #require(offers(outputs).first)
        #expect(offer.2 == nil)
        #expect(offers(outputs).count == 1)
        let at = try #require(outputs.first { if case .line(.offerCall) = $0.output { true } else { false } }?.at)
        #expect(at >= 3_150 && at < 3_300)  // second ring starts at 3 s, confirmed after 150 ms
    }

    @Test func theCallerGivingUpCancelsTheOffer() throws {
        let (line, gpio) = try makeLine(LineOptions(incomingExtension: "200", waitForCallerID: false))
        gpio.simulateRing(.us, count: 2, atMilliseconds: 0)
        let outputs = run(line, from: 0, to: 20_000)
        let offer = try #require(offers(outputs).first)
        #expect(outputs.contains { $0.output == .line(.endCall(offer.0, .callerGaveUp)) })
        #expect(line.state == .idle)
        #expect(!gpio.hookClosed)
    }

    @Test func ledsFollowTheTrunkAndTheLine() throws {
        let (line, gpio) = try makeLine()
        _ = line.tick(nowMilliseconds: 10)
        #expect(gpio.isActive(.ledPower) == true)
        #expect(gpio.isActive(.ledLine) == true)
        #expect(gpio.isActive(.ledTrunk) == false)
        #expect(gpio.isActive(.ledFault) == false)

        _ = line.setTrunkStatus(registered: 2, configured: 2)
        #expect(gpio.isActive(.ledTrunk) == true)
        _ = line.setTrunkStatus(registered: 1, configured: 2)
        #expect(line.leds.trunk == .blinkSlow)
        // A slow blink toggles the pin every 500 ms.
        var levels: [Bool] = []
        for t in stride(from: Int64(1_000), through: 2_500, by: 250) {
            _ = line.tick(nowMilliseconds: t)
            levels.append(gpio.isActive(.ledTrunk) ?? false)
        }
        #expect(levels == [true, true, false, false, true, true, false])

        // The audio device vanishes: line LED off, fault LED on.
        _ = line.handle(.audioDevice(up: false), nowMilliseconds: 3_000)
        #expect(gpio.isActive(.ledLine) == false)
        #expect(gpio.isActive(.ledFault) == true)
        #expect(line.nextDeadlineMilliseconds == 3_500)  // the trunk LED's next blink
    }

    @Test func outgoingCallSeizesTheLine() throws {
        let (line, gpio) = try makeLine()
        let outputs = line.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 100)
        #expect(outputs.first == .line(.outgoingAccepted(LineCallID(1))))
        #expect(gpio.hookClosed)
        // No dial tone: the relay opens again after the timeout and the PBX hears why.
        let later = run(line, from: 100, to: 5_200)
        #expect(later.contains { $0.output == .line(.endCall(LineCallID(1), .noDialTone)) })
        #expect(!gpio.hookClosed)
    }

    @Test func heldResetButtonRequestsFactoryResetAndShortPressesDoNot() throws {
        let (line, gpio) = try makeLine()
        gpio.pressReset(atMilliseconds: 1_000, holdMilliseconds: 3_000)
        var outputs = run(line, from: 0, to: 2_000)
        #expect(line.leds.power == .blinkFast)
        outputs += run(line, from: 2_000, to: 6_000)
        #expect(!outputs.contains { $0.output == .factoryReset })
        #expect(line.leds.power == .on)

        gpio.pressReset(atMilliseconds: 10_000, holdMilliseconds: 12_000)
        outputs = run(line, from: 6_000, to: 25_000)
        let resets = outputs.filter { $0.output == .factoryReset }
        #expect(resets.map(\.at) == [20_010])
    }

    @Test func ukPolarityReversalAnnouncesCallerIDBeforeTheRing() throws {
        var config = LineConfig(incomingExtension: "300", callerIDStandard: .v23, tones: .uk)
        config.device = "hw:1"
        let (line, gpio) = try makeLine(LineOptions(config: config), cadence: RingCadence(country: config.tones))
        gpio.simulatePolarityReversal(atMilliseconds: 500)
        var outputs = run(line, from: 0, to: 600)
        #expect(outputs.contains { $0.output == .line(.listenForCallerID(true)) })
        let caller = CallerID(number: "02071234567")
        _ = line.handle(.callerID(caller), nowMilliseconds: 1_200)
        gpio.simulateRing(.uk, count: 1, atMilliseconds: 2_000)
        outputs = run(line, from: 1_200, to: 2_400)
        let offer = try #require(offers(outputs).first)
        #expect(offer.1 == "300")
        #expect(offer.2 == caller)
    }

    @Test func aFailingHookRelayTakesTheLineDownAndSaysSo() throws {
        let (line, gpio) = try makeLine()
        gpio.failWrites = "EIO"
        let outputs = line.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 100)
        #expect(outputs.contains { if case .gpioFault(let message) = $0 { message.contains("hook-relay") && message.contains("EIO") } else { false } })
        #expect(outputs.contains(.line(.endCall(LineCallID(1), .lineDown))))
        guard case .down(let reason) = line.state else { Issue.record("line is \(line.state)"); return }
        #expect(reason.hardwareFault != nil)
        #expect(line.leds.fault == .on)
    }

    @Test func configOverridesApplyToTheProfile() throws {
        let config = LineConfig(gpioChip: "gpiochip3", hookPin: 4, ringPin: 7)
        let profile = try BoardProfile.parse(profileText).applying(config)
        #expect(profile.pin(.hookRelay) == BoardPin(role: .hookRelay, chip: "gpiochip3", offset: 4))
        #expect(profile.pin(.ringDetect) == BoardPin(role: .ringDetect, chip: "gpiochip3", offset: 7, activeLow: true))
        #expect(throws: BoardProfileError.self) { try BoardProfile.parse(profileText).applying(LineConfig(hookPin: 27)) }
        #expect(LineOptions(config: LineConfig(callerIDStandard: .v23, tones: .eu)).callerIDBeforeRing == false)
        #expect(RingCadence(country: .au) == .au)
    }
}
