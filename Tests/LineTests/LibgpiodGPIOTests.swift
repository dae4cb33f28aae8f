// LibgpiodGPIO tests on a machine without GPIO chips: a missing chip is a clear error naming it, never a crash.
import Line
import LineCore
import Testing

@Suite struct LibgpiodGPIOTests {
    @Test func aChipThatDoesNotExistIsNamedInTheError() {
        let gpio = LibgpiodGPIO()
        do {
            try gpio.requestOutput(BoardPin(role: .hookRelay, chip: "gpiochip-trunkbox-none", offset: 17), active: false)
            Issue.record("a chip that does not exist was opened")
        } catch {
            #expect(error.kind == .chipNotFound)
            #expect(error.description.contains("'gpiochip-trunkbox-none'"))
            #expect(error.description.contains("hook-relay"))
        }
        #expect(gpio.eventDescriptors.isEmpty)
        #expect(throws: GPIOError.self) { try gpio.set(.hookRelay, active: true) }
        #expect(throws: GPIOError.self) { try gpio.read(.ringDetect) }
        #expect((try? gpio.takeEdges(nowMilliseconds: 0)) == [])
    }

    @Test func aControllerOnAMissingChipFailsToStartCleanly() throws {
        let profile = try BoardProfile.parse("trunkbox-board 1\nchip /dev/gpiochip99\npin hook-relay 1\npin ring-detect 2\n")
        do {
            _ = try LineController(profile: profile, backend: LibgpiodGPIO(), nowMilliseconds: 0)
            Issue.record("controller started without a chip")
        } catch {
            #expect(error.kind == .chipNotFound)
            #expect(error.description.contains("/dev/gpiochip99"))
        }
    }
}
