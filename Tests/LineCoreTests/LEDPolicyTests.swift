// LEDPolicy tests: trunk all/some/none, line idle/ringing/in use/down, fault, reset hold, blink phases.
import LineCore
import Testing

@Suite struct LEDPolicyTests {
    @Test func trunkLEDFollowsRegistrations() {
        func trunk(_ registered: Int, _ configured: Int) -> LEDPattern {
            LEDPolicy.states(registeredProfiles: registered, configuredProfiles: configured, line: .idle, fault: false, resetHeld: false).trunk
        }
        #expect(trunk(3, 3) == .on)
        #expect(trunk(1, 3) == .blinkSlow)
        #expect(trunk(0, 3) == .off)
        #expect(trunk(0, 0) == .off)
    }

    @Test func lineAndFaultLEDs() {
        func states(_ line: LineActivity, fault: Bool = false) -> LEDStates {
            LEDPolicy.states(registeredProfiles: 1, configuredProfiles: 1, line: line, fault: fault, resetHeld: false)
        }
        #expect(states(.idle) == LEDStates(power: .on, trunk: .on, line: .on, fault: .off))
        #expect(states(.ringing).line == .blinkFast)
        #expect(states(.inUse).line == .blinkSlow)
        #expect(states(.down) == LEDStates(power: .on, trunk: .on, line: .off, fault: .on))
        #expect(states(.idle, fault: true).fault == .on)
    }

    @Test func powerBlinksWhileTheResetButtonIsHeld() {
        let states = LEDPolicy.states(registeredProfiles: 0, configuredProfiles: 1, line: .idle, fault: false, resetHeld: true)
        #expect(states.power == .blinkFast)
    }

    @Test func blinkPhases() {
        #expect(LEDPattern.blinkSlow.isLit(nowMilliseconds: 0))
        #expect(LEDPattern.blinkSlow.isLit(nowMilliseconds: 499))
        #expect(!LEDPattern.blinkSlow.isLit(nowMilliseconds: 500))
        #expect(!LEDPattern.blinkFast.isLit(nowMilliseconds: 130))
        #expect(LEDPattern.blinkFast.isLit(nowMilliseconds: -250))
        #expect(LEDPattern.blinkSlow.nextChangeMilliseconds(after: 1_234) == 1_500)
        #expect(LEDPattern.on.nextChangeMilliseconds(after: 1_234) == nil)
        #expect(!LEDPattern.off.isLit(nowMilliseconds: 0))
    }
}
