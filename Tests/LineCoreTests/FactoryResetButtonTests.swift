// FactoryResetButton tests: a 10 s hold resets once, shorter presses and bounce do nothing.
import LineCore
import Testing

@Suite struct FactoryResetButtonTests {
    @Test func heldTenSecondsRequestsResetOnce() {
        var button = FactoryResetButton()
        #expect(button.input(true, nowMilliseconds: 1_000) == [])
        #expect(button.tick(nowMilliseconds: 1_049) == [])
        #expect(button.tick(nowMilliseconds: 1_050) == [.holdStarted])
        #expect(button.nextDeadlineMilliseconds == 11_000)
        #expect(button.tick(nowMilliseconds: 10_999) == [])
        #expect(button.tick(nowMilliseconds: 11_000) == [.resetRequested])
        #expect(button.tick(nowMilliseconds: 30_000) == [])
        #expect(button.input(false, nowMilliseconds: 31_000) == [])
        #expect(button.tick(nowMilliseconds: 31_100) == [])
        #expect(!button.isPressed)
    }

    @Test func aShorterPressIsIgnored() {
        var button = FactoryResetButton()
        _ = button.input(true, nowMilliseconds: 0)
        _ = button.tick(nowMilliseconds: 100)
        #expect(button.input(false, nowMilliseconds: 9_990) == [])
        #expect(button.tick(nowMilliseconds: 20_000) == [.holdAbandoned(heldMilliseconds: 9_990)])
    }

    @Test func bounceAndGlitchesAreDebounced() {
        var button = FactoryResetButton(holdMilliseconds: 10_000, debounceMilliseconds: 50)
        // A 20 ms glitch: never a press.
        _ = button.input(true, nowMilliseconds: 0)
        #expect(button.input(false, nowMilliseconds: 20) == [])
        #expect(button.tick(nowMilliseconds: 15_000) == [])
        // A press with bounce, then held: one holdStarted, one reset timed from the settled press.
        var events: [FactoryResetEvent] = []
        for (i, level) in [true, false, true, false, true].enumerated() {
            events += button.input(level, nowMilliseconds: 20_000 + Int64(i) * 3)
        }
        events += button.tick(nowMilliseconds: 40_000)
        #expect(events == [.holdStarted, .resetRequested])
    }

    @Test func releasingDuringBounceAtTheEndStillCountsAsTheHoldTime() {
        var button = FactoryResetButton()
        _ = button.input(true, nowMilliseconds: 0)
        _ = button.tick(nowMilliseconds: 10_001)
        // A new press after release starts a new hold.
        _ = button.input(false, nowMilliseconds: 10_100)
        _ = button.tick(nowMilliseconds: 10_200)
        _ = button.input(true, nowMilliseconds: 11_000)
        #expect(button.tick(nowMilliseconds: 21_000) == [.holdStarted, .resetRequested])
    }
}
