// SIPDialog tests (RFC 3261 §12): building dialogs on both sides, in-dialog requests, CSeq checks, target refresh.
import SIPCore
import SIPTransaction
import Testing

@Suite struct DialogTests {
    static func parse(_ text: String) throws -> SIPMessage {
        try SIPMessage(parsing: text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    static let invite = """
        INVITE sip:201@192.0.2.1 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-a1
        Record-Route: <sip:p2.example.com;lr>
        Record-Route: <sip:p1.example.com;lr>
        From: "Alice" <sip:alice@example.com>;tag=alice1
        To: <sip:201@192.0.2.1>
        Call-ID: c1@example.com
        CSeq: 7 INVITE
        Contact: <sip:alice@192.0.2.10:5062>
        Max-Forwards: 70
        Content-Length: 0


        """

    @Test func uasDialogTakesContactRecordRouteAndTags() throws {
        var d = try SIPDialog(uas: try Self.parse(Self.invite), localTag: "box9")
        #expect(d.key == SIPDialogKey(callID: "c1@example.com", localTag: "box9"))
        #expect(d.remoteTag == "alice1")
        #expect(d.remoteSequence == 7)
        #expect(d.routeSet.map(\.description) == ["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"])
        let bye = d.request(.bye)
        #expect(bye.requestURI?.description == "sip:alice@192.0.2.10:5062")
        #expect(bye.headers.values(.route) == ["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"])
        #expect(try bye.headers.from?.tag == "box9")
        #expect(try bye.headers.to?.tag == "alice1")
        #expect(try bye.headers.from?.uri.description == "sip:201@192.0.2.1")
        #expect(try bye.headers.cseq == SIPCSeq(1, .bye))
        let info = d.request(.info)
        #expect(info.headers[.cseq] == "2 INFO")
    }

    @Test func uacDialogReversesRecordRouteAndKeepsItsCSeq() throws {
        let request = try Self.parse(Self.invite.replacingOccurrences(of: "Record-Route: <sip:p2.example.com;lr>\n", with: "")
            .replacingOccurrences(of: "Record-Route: <sip:p1.example.com;lr>\n", with: ""))
        let response = try Self.parse("""
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-a1
            Record-Route: <sip:p2.example.com;lr>
            Record-Route: <sip:p1.example.com;lr>
            From: "Alice" <sip:alice@example.com>;tag=alice1
            To: <sip:201@192.0.2.1>;tag=bob7
            Call-ID: c1@example.com
            CSeq: 7 INVITE
            Contact: <sip:bob@192.0.2.1:5070>
            Content-Length: 0


            """)
        var d = try SIPDialog(uac: request, response: response)
        #expect(d.key == SIPDialogKey(callID: "c1@example.com", localTag: "alice1"))
        #expect(d.routeSet.map(\.description) == ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"])
        #expect(d.remoteTarget.description == "sip:bob@192.0.2.1:5070")
        let ack = d.request(.ack, sequence: 7)
        #expect(ack.headers[.cseq] == "7 ACK")
        #expect(d.localSequence == 7)
        let bye = d.request(.bye)
        #expect(bye.headers[.cseq] == "8 BYE")
    }

    @Test func responseWithoutToTagMakesNoDialog() throws {
        let request = try Self.parse(Self.invite)
        let response = request.response(180)
        #expect(throws: SIPDialog.Invalid.self) { try SIPDialog(uac: request, response: response) }
    }

    @Test func outOfOrderCSeqIsRefusedAndReinviteRefreshesTarget() throws {
        var d = try SIPDialog(uas: try Self.parse(Self.invite), localTag: "box9")
        let old = try Self.parse(Self.invite.replacingOccurrences(of: "CSeq: 7 INVITE", with: "CSeq: 6 BYE")
            .replacingOccurrences(of: "INVITE sip:", with: "BYE sip:"))
        let acceptedOld = d.accept(old)
        #expect(!acceptedOld)
        let same = try Self.parse(Self.invite)
        let acceptedSame = d.accept(same)
        #expect(!acceptedSame)
        let ack = try Self.parse(Self.invite.replacingOccurrences(of: "CSeq: 7 INVITE", with: "CSeq: 7 ACK")
            .replacingOccurrences(of: "INVITE sip:", with: "ACK sip:"))
        let acceptedAck = d.accept(ack)
        #expect(acceptedAck)
        let reinvite = try Self.parse(Self.invite.replacingOccurrences(of: "CSeq: 7 INVITE", with: "CSeq: 8 INVITE")
            .replacingOccurrences(of: "192.0.2.10:5062", with: "192.0.2.11:5999"))
        let acceptedReinvite = d.accept(reinvite)
        #expect(acceptedReinvite)
        #expect(d.remoteSequence == 8)
        #expect(d.remoteTarget.description == "sip:alice@192.0.2.11:5999")
    }

    @Test func receivedRequestKeyNeedsAToTag() throws {
        #expect(SIPDialogKey(receivedRequest: try Self.parse(Self.invite)) == nil)
        let inDialog = try Self.parse(Self.invite.replacingOccurrences(of: "To: <sip:201@192.0.2.1>", with: "To: <sip:201@192.0.2.1>;tag=box9"))
        #expect(SIPDialogKey(receivedRequest: inDialog) == SIPDialogKey(callID: "c1@example.com", localTag: "box9"))
    }
}
