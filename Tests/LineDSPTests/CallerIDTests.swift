// CallerIDTests: Bell 202 and V.23 FSK bursts from an independent generator, and DTMF CLIP made by sox, decode to the right number and name; a bad checksum is an error.
import Testing
@testable import LineDSP
import LineTestSupport

/// Feeds audio (with silence around it, like the gap between rings) and returns the receiver and its events.
func receive(_ burst: [Int16], _ standard: CallerIDStandard, period: Int = 160) throws -> (CallerIDReceiver, [CallerIDReceiver.Event]) {
    let receiver = try #require(CallerIDReceiver(standard: standard))
    var events: [CallerIDReceiver.Event] = []
    PCM.periods(PCM.silence(seconds: 0.5) + burst + PCM.silence(seconds: 0.5), size: period) { samples, _ in
        if let event = receiver.process(samples) { events.append(event) }
    }
    return (receiver, events)
}

@Suite struct CallerIDTests {
    static let parameters: [(UInt8, String)] = [(0x01, "03141530"), (0x02, "5551234567"), (0x07, "ALICE SMITH")]

    @Test(arguments: [CallerIDStandard.bell202, .v23])
    func fskMDMFGivesNumberNameAndDate(standard: CallerIDStandard) throws {
        let generator = standard == .bell202 ? FSKCallerIDBurst.bell202 : FSKCallerIDBurst.v23
        let (receiver, events) = try receive(generator.audio(FSKCallerIDBurst.mdmf(Self.parameters)), standard)
        #expect(events == [.message])
        let id = try receiver.decode()
        #expect(id.number == "5551234567")
        #expect(id.name == "ALICE SMITH")
        #expect(id.dateTime == CallerIDDateTime(month: 3, day: 14, hour: 15, minute: 30))
        #expect(id.numberAbsence == nil)
    }

    @Test func bell202InTenMillisecondPeriods() throws {
        let (receiver, events) = try receive(FSKCallerIDBurst.bell202.audio(FSKCallerIDBurst.mdmf(Self.parameters)), .bell202, period: 80)
        #expect(events == [.message])
        #expect(try receiver.decode().number == "5551234567")
    }

    @Test func bell202SDMFWithheld() throws {
        let (receiver, events) = try receive(FSKCallerIDBurst.bell202.audio(FSKCallerIDBurst.sdmf(dateTime: "12250800", number: "P")), .bell202)
        #expect(events == [.message])
        let id = try receiver.decode()
        #expect(id.number == nil)
        #expect(id.numberAbsence == .withheld)
        #expect(id.dateTime == CallerIDDateTime(month: 12, day: 25, hour: 8, minute: 0))
    }

    @Test func v23NumberUnavailableAndNameWithheld() throws {
        let message = FSKCallerIDBurst.mdmf([(0x01, "01020304"), (0x04, "O"), (0x08, "P")])
        let (receiver, _) = try receive(FSKCallerIDBurst.v23.audio(message), .v23)
        let id = try receiver.decode()
        #expect(id.number == nil && id.name == nil)
        #expect(id.numberAbsence == .unavailable)
        #expect(id.nameAbsence == .withheld)
    }

    @Test(arguments: [CallerIDStandard.bell202, .v23])
    func corruptedChecksumIsAnErrorNotANumber(standard: CallerIDStandard) throws {
        let generator = standard == .bell202 ? FSKCallerIDBurst.bell202 : FSKCallerIDBurst.v23
        let (receiver, events) = try receive(generator.audio(FSKCallerIDBurst.mdmf(Self.parameters, corruptChecksum: true)), standard)
        #expect(events == [.checksumError])
        #expect(throws: CallerIDError.checksumMismatch) { try receiver.decode() }
    }

    @Test func noiseGivesNoCallerID() throws {
        let (receiver, events) = try receive(try Sox.mono("1 pinknoise vol 0.3"), .bell202)
        #expect(events.isEmpty)
        #expect(throws: CallerIDError.noMessage) { try receiver.decode() }
    }

    @Test func truncatedBurstGivesNoNumber() throws {
        // The burst is cut (the line was answered) before the last octets: nothing is delivered.
        let audio = FSKCallerIDBurst.bell202.audio(FSKCallerIDBurst.mdmf(Self.parameters))
        let (receiver, events) = try receive(Array(audio[..<(audio.count - 800)]), .bell202)
        #expect(!events.contains(.message))
        #expect(throws: CallerIDError.self) { try receiver.decode() }
    }

    @Test func dtmfCLIPNumber() throws {
        let (receiver, events) = try receive(try soxDigits("A0612345678#", on: 0.07, off: 0.07), .dtmf)
        #expect(events == [.message])
        let id = try receiver.decode()
        #expect(id.number == "0612345678")
    }

    @Test func dtmfCLIPWithheld() throws {
        let (receiver, _) = try receive(try soxDigits("D1#", on: 0.07, off: 0.07), .dtmf)
        let id = try receiver.decode()
        #expect(id.number == nil)
        #expect(id.numberAbsence == .withheld)
    }

    @Test func dtmfCLIPVariantWithSpecialInformation() throws {
        let id = try CallerID.decode(Array("B10C".utf8), standard: .dtmf)
        #expect(id.numberAbsence == .withheld)
        let redirected = try CallerID.decode(Array("A123D456C".utf8), standard: .dtmf)
        #expect(redirected.number == "123" && redirected.redirectingNumber == "456")
    }

    @Test func malformedMDMFLengthsAreRefused() throws {
        // Declared parameter length runs past the message.
        #expect(throws: CallerIDError.malformed) { try CallerID.decode([0x80, 4, 0x02, 9, 0x31, 0x32], standard: .bell202) }
    }
}
