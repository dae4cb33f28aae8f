// CallController+Reliable: RFC 3262 reliable provisional responses, terminated on each leg: the box sends
// 18x reliably on the first leg when its INVITE requires 100rel (RSeq, retransmitted until the PRACK,
// a 2xx held while an unacknowledged one carried SDP), and PRACKs the second leg's reliable 18x itself.
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction

extension CallController {
    /// Whether an INVITE requires reliable provisional responses.
    static func requires100rel(_ message: SIPMessage) -> Bool {
        ((try? message.headers.require) ?? []).contains { $0.lowercased() == "100rel" }
    }

    // MARK: - First leg: the box as UAS

    /// Sends a provisional response on the first leg: reliably (Require: 100rel, RSeq) when the caller
    /// required it, one at a time; otherwise as is.
    func sendProvisional(_ call: Call, _ response: SIPMessage) {
        guard var reliable = call.reliable else {
            transactions.respond(response, to: call.firstKey)
            return
        }
        if reliable.unacked != nil {
            // §3: no second reliable provisional before the first is PRACKed; the latest waits.
            reliable.queued = response
            call.reliable = reliable
            return
        }
        var out = response
        let rseq = reliable.nextRSeq
        reliable.nextRSeq &+= 1
        out.headers.set(.require, "100rel")
        out.headers.set(.rseq, "\(rseq)")
        reliable.unacked = (out, rseq, !out.body.isEmpty)
        reliable.interval = .milliseconds(500)
        reliable.sentAt = .now()
        call.reliable = reliable
        transactions.respond(out, to: call.firstKey)
        scheduleProvisionalRetransmit(call)
    }

    /// §3: retransmitted at T1, doubling, until the PRACK; none in 64*T1 fails the call with a 5xx.
    private func scheduleProvisionalRetransmit(_ call: Call) {
        guard let reliable = call.reliable, reliable.unacked != nil else { return }
        let number = call.number
        call.reliable?.timer = eventLoop.scheduleTask(in: reliable.interval) { [weak self] in
            guard let self, let call = self.calls[number], var reliable = call.reliable, let unacked = reliable.unacked else { return }
            if NIODeadline.now() - reliable.sentAt >= .seconds(32) {
                reliable.unacked = nil
                reliable.heldFinal = nil
                call.reliable = reliable
                self.fail(call, code: 504, why: "the caller did not acknowledge a reliable provisional response (no PRACK)")
                return
            }
            self.transactions.respond(unacked.response, to: call.firstKey)
            reliable.interval = reliable.interval * 2
            call.reliable = reliable
            self.scheduleProvisionalRetransmit(call)
        }
    }

    /// Whether a 2xx for the first leg must wait for a PRACK (it is then held and sent at the PRACK).
    func holdFinalForPRACK(_ call: Call, _ response: SIPMessage) -> Bool {
        guard var reliable = call.reliable, let unacked = reliable.unacked, unacked.hasSDP else { return false }
        reliable.heldFinal = response
        reliable.queued = nil
        call.reliable = reliable
        return true
    }

    /// The final response went out: no more provisional retransmissions.
    func stopProvisionals(_ call: Call) {
        call.reliable?.timer?.cancel()
        call.reliable?.timer = nil
        call.reliable?.unacked = nil
        call.reliable?.queued = nil
    }

    /// A PRACK in the first leg's early dialog: 200 when its RAck names the provisional in flight, then
    /// the held 2xx or the next queued provisional; 481 otherwise (§3).
    func prack(_ call: Call, leg: Int, request: SIPMessage, key: SIPTransactionKey) {
        let rack = (try? request.headers.rack) ?? nil
        let inviteCSeq = ((try? call.firstInvite.message.headers.cseq) ?? nil)?.sequence
        guard leg == 0, var reliable = call.reliable, let unacked = reliable.unacked, let rack,
              rack.responseSequence == unacked.rseq, rack.cseq.sequence == inviteCSeq, rack.cseq.method == .invite else {
            transactions.respond(request.response(481, "Call/Transaction Does Not Exist"), to: key)
            return
        }
        reliable.timer?.cancel()
        reliable.timer = nil
        reliable.unacked = nil
        let held = reliable.heldFinal
        let queued = reliable.queued
        reliable.heldFinal = nil
        reliable.queued = nil
        call.reliable = reliable
        transactions.respond(request.response(200), to: key)
        if let held {
            sendFirstFinal(call, held)
        } else if let queued, call.phase == .early || call.phase == .calling {
            sendProvisional(call, queued)
        }
    }

    // MARK: - Second leg: the box as UAC

    /// PRACKs a reliable provisional from the second leg (once per RSeq). Returns false for a
    /// retransmission of one already acknowledged, which is not relayed again.
    func acknowledgeReliable(_ call: Call, _ response: SIPMessage) -> Bool {
        guard Self.requires100rel(response), let rseq = (try? response.headers.rseq) ?? nil else { return true }
        guard call.prackedRSeq.insert(rseq).inserted else { return false }
        guard var dialog = call.legs[1].dialog, let invite = call.secondInvite,
              let cseq = ((try? invite.headers.cseq) ?? nil)?.sequence else { return true }
        var prack = dialog.request(.prack)
        call.legs[1].dialog = dialog
        prack.headers.add(.rack, "\(rseq) \(cseq) INVITE")
        let number = call.number
        transactions.request(prack, to: call.legs[1].peer, onResponse: { _ in }, onFailure: { [weak self] failure in
            self?.environment.log("call #\(number): the trunk did not answer the PRACK (\(failure))")
        })
        return true
    }
}
