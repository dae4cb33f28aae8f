// Tests of the helpers around the transactions: branch generation (RFC 3261 §8.1.1.7), timer values (Table 4), CANCEL (§9.1).
import SIPCore
import SIPTransaction
import Testing

@Suite struct HelperTests {
    @Test func branchIsTheMagicCookieAndTheRandomBytesInHex() {
        let branch = SIPBranch.make(randomBytes: [0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff])
        #expect(branch == "z9hG4bK00017f80abcdefff")
        #expect(SIPBranch.isRFC3261(branch))
        let long = SIPBranch.make(randomBytes: [UInt8](repeating: 0x5a, count: 16))
        #expect(long.utf8.count == 7 + 32)
        #expect(SIPBranch.make(randomBytes: [UInt8](repeating: 1, count: 8)) != SIPBranch.make(randomBytes: [UInt8](repeating: 2, count: 8)))
        #expect(!SIPBranch.isRFC3261(nil))
        #expect(!SIPBranch.isRFC3261("z9hG4bK"))
        #expect(!SIPBranch.isRFC3261("0a1b2c3d"))
    }

    @Test func timerValuesFollowTable4() {
        let c = SIPTimerConfig.standard
        #expect(c.t1 == .milliseconds(500) && c.t2 == .seconds(4) && c.t4 == .seconds(5))
        #expect([c.timerB, c.timerF, c.timerH, c.timerL, c.timerM].allSatisfy { $0 == .seconds(32) })
        #expect(c.timerD(reliable: false) == .seconds(32) && c.timerD(reliable: true) == .zero)
        #expect(c.timerI(reliable: false) == .seconds(5) && c.timerI(reliable: true) == .zero)
        #expect(c.timerJ(reliable: false) == .seconds(32) && c.timerJ(reliable: true) == .zero)
        #expect(c.timerK(reliable: false) == .seconds(5) && c.timerK(reliable: true) == .zero)
        #expect(c.tryingDelay == .milliseconds(200))

        let slow = SIPTimerConfig(t1: .seconds(1), t2: .seconds(8))
        #expect(slow.timerB == .seconds(64))
        // Timer D never ends before the peer's Timer H could.
        #expect(slow.timerD(reliable: false) == .seconds(64))
    }

    @Test func cancelCopiesTheInviteIdentityAndTopViaOnly() throws {
        let invite = try TestMessages.invite()
        let cancel = try TestMessages.wire(invite.cancelRequest())
        #expect(cancel.method == .cancel)
        #expect(cancel.requestURI == invite.requestURI)
        let vias = try cancel.headers.via
        #expect(vias.count == 1)
        #expect(vias.first == (try invite.headers.topVia))
        #expect(cancel.headers.values(.route) == invite.headers.values(.route))
        #expect(try cancel.headers.to == invite.headers.to)
        #expect(try cancel.headers.from == invite.headers.from)
        #expect(try cancel.headers.callID == invite.headers.callID)
        #expect(try cancel.headers.cseq == SIPCSeq(314, .cancel))
        #expect(cancel.body.isEmpty)
        #expect(throws: SIPTransactionError.wrongMethod(.options)) { try TestMessages.options().cancelRequest() }
    }
}
