// Transaction key tests (RFC 3261 §17.1.3, §17.2.3): branch matching, sent-by, ACK and CANCEL, the RFC 2543 fallback.
import SIPCore
import SIPTransaction
import Testing

@Suite struct TransactionKeyTests {
    @Test func clientKeyIsBranchAndCSeqMethod() throws {
        let invite = try TestMessages.invite(branch: "z9hG4bK-Abc")
        let key = try SIPTransactionKey(clientRequest: invite)
        #expect(key == .client(branch: "z9hg4bk-abc", method: .invite))
        #expect(try SIPTransactionKey(response: TestMessages.response(to: invite, 180)) == key)

        // A response whose branch differs only in case still matches (branches are tokens).
        var shouted = try TestMessages.response(to: invite, 200)
        shouted.headers.set(.via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-ABC")
        #expect(try SIPTransactionKey(response: shouted) == key)

        // The CANCEL reuses the branch but is its own client transaction.
        let cancel = try invite.cancelRequest()
        let cancelKey = try SIPTransactionKey(clientRequest: cancel)
        #expect(cancelKey != key)
        #expect(try SIPTransactionKey(response: TestMessages.response(to: cancel, 200)) == cancelKey)
    }

    @Test func serverKeyCountsTheACKAsTheInviteAndKeepsCancelApart() throws {
        let invite = try TestMessages.invite()
        let key = try SIPTransactionKey(serverRequest: invite)
        #expect(key == .server(branch: "z9hg4bk-inv-1", sentBy: "192.0.2.10:5060", method: .invite))
        let ack = try TestMessages.ack(for: invite, response: invite.response(486, toTag: "x"))
        #expect(try SIPTransactionKey(serverRequest: ack) == key)
        let cancelKey = try SIPTransactionKey(serverRequest: TestMessages.wire(invite.cancelRequest()))
        #expect(cancelKey.method == .cancel)
        #expect(cancelKey != key)
        #expect(cancelKey.replacingMethod(.invite) == key)
    }

    @Test func serverKeyIncludesTheSentBy() throws {
        let a = try SIPTransactionKey(serverRequest: TestMessages.invite(sentBy: "pbx.example.com:5060"))
        let b = try SIPTransactionKey(serverRequest: TestMessages.invite(sentBy: "PBX.Example.COM:5060"))
        let c = try SIPTransactionKey(serverRequest: TestMessages.invite(sentBy: "pbx.example.com:5070"))
        let d = try SIPTransactionKey(serverRequest: TestMessages.invite(sentBy: "pbx.example.com"))
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
    }

    @Test func badBranchFallsBackToRFC2543Matching() throws {
        let options = try FixtureFiles.message("rfc4475/badbranch.sip")
        #expect(try options.headers.topVia?.branch == "z9hG4bK")
        #expect(!SIPBranch.isRFC3261("z9hG4bK"))
        guard case .legacyServer(let id) = try SIPTransactionKey(serverRequest: options).kind else {
            Issue.record("a branch that is only the magic cookie must use RFC 2543 matching"); return
        }
        #expect(id.callID == "badbranch.sadonfo23i420jv0as0derf3j3n")
        #expect(id.cseq == SIPCSeq(8, .options))
        #expect(id.fromTag == "33242")
        #expect(id.toTag == nil)
        #expect(id.requestURI.description == "sip:user@example.com")
        #expect(try SIPTransactionKey(serverRequest: TestMessages.wire(options)) == .legacyServer(id))
    }

    @Test func rfc2543IDsCompareRequestURIsByEquivalence() throws {
        let invite = try FixtureFiles.message("rfc4475/inv2543.sip")
        var respelled = invite
        respelled.startLine = .request(method: .invite, uri: try URI.parse("sip:UserB@EXAMPLE.COM"))
        let a = try SIPTransactionKey(serverRequest: invite)
        let b = try SIPTransactionKey(serverRequest: respelled)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)

        var otherUser = invite
        otherUser.startLine = .request(method: .invite, uri: try URI.parse("sip:userb@example.com"))
        #expect(try SIPTransactionKey(serverRequest: otherUser) != a)

        var otherFrom = invite
        otherFrom.headers.set(.from, "<sip:+13035551111@ift.client.example.net;user=phone>;tag=late")
        #expect(try SIPTransactionKey(serverRequest: otherFrom) != a)
    }

    @Test func messagesWithoutWhatMatchingNeedsAreRefused() throws {
        var noVia = try TestMessages.options()
        noVia.headers.remove(.via)
        #expect(throws: SIPTransactionError.missingHeader(.via)) { try SIPTransactionKey(serverRequest: noVia) }
        let legacy = try FixtureFiles.message("rfc4475/inv2543.sip")
        #expect(throws: SIPTransactionError.missingBranch) { try SIPTransactionKey(clientRequest: legacy) }
        #expect(throws: SIPTransactionError.notAResponse) { try SIPTransactionKey(response: legacy) }
        #expect(throws: SIPTransactionError.notARequest) {
            try SIPTransactionKey(serverRequest: TestMessages.response(to: legacy, 404))
        }
    }
}
