// ChannelBookTests: per-profile channel limits (up to the guide's 300), release underflow, overflow answers.

import Config
import Testing
import CallPolicy

@Suite("Channels")
struct ChannelBookTests {
    @Test(arguments: [1, 2, 30, 300])
    func limitIsHonoured(_ limit: Int) {
        var book = ChannelBook()
        let granted = (0..<limit).map { _ in book.take("engineering", limit: limit) }
        #expect(granted.allSatisfy { $0 })
        let oneTooMany = book.take("engineering", limit: limit)
        #expect(!oneTooMany, "channel \(limit + 1) must be refused")
        #expect(book.inUse("engineering") == limit)
        #expect(book.total == limit)
        #expect(book.free("engineering", limit: limit) == 0)
        let steps = [book.release("engineering"), book.take("engineering", limit: limit), book.take("engineering", limit: limit)]
        #expect(steps == [true, true, false])
        #expect(book.inUse("engineering") == limit)
    }

    @Test func the301stCallOnA300ChannelProfileIsRefused() {
        var book = ChannelBook()
        let granted = (1...301).map { _ in book.take("engineering", limit: PolicyFixtures.engineering.channels) }
        #expect(granted.prefix(300).allSatisfy { $0 })
        #expect(granted.last == false)
        #expect(book.inUse("engineering") == 300)
    }

    @Test func profilesAreCountedApart() {
        var book = ChannelBook()
        let steps = [book.take("sales", limit: 1), book.take("sales", limit: 1), book.take("engineering", limit: 1)]
        #expect(steps == [true, false, true])
        #expect(book.inUse("sales") == 1)
        #expect(book.inUse("engineering") == 1)
        #expect(book.inUse("support") == 0)
        #expect(book.total == 2)
        book.release("sales")
        #expect(book.inUse("sales") == 0)
        #expect(book.total == 1)
    }

    @Test func releaseOfNothingIsIgnoredAndCounted() {
        var book = ChannelBook()
        let steps = [book.release("sales"), book.take("sales", limit: 2), book.release("sales"), book.release("sales"),
                     book.release("nobody")]
        #expect(steps == [false, true, true, false, false])
        #expect(book.inUse("sales") == 0)
        #expect(book.total == 0)
        #expect(book.releaseErrors == 3)
        let after = [book.take("sales", limit: 2), book.take("sales", limit: 2), book.take("sales", limit: 2)]
        #expect(after == [true, true, false])
        #expect(book.inUse("sales") == 2)
    }

    @Test(arguments: [0, -1])
    func noChannelUnderANonPositiveLimit(_ limit: Int) {
        var book = ChannelBook()
        let granted = book.take("sales", limit: limit)
        #expect(!granted)
        #expect(book.total == 0)
        #expect(book.free("sales", limit: limit) == 0)
    }

    @Test func loweringTheLimitBelowUseRefusesNewCalls() {
        var book = ChannelBook()
        let steps = [book.take("sales", limit: 3), book.take("sales", limit: 3), book.take("sales", limit: 3),
                     book.take("sales", limit: 2), book.release("sales"), book.take("sales", limit: 2),
                     book.release("sales"), book.take("sales", limit: 2)]
        #expect(steps == [true, true, true, false, true, false, true, true])
        #expect(book.inUse("sales") == 2)
    }

    // The answer to one call too many.

    @Test func outgoingOverflowIs503WithRetryAfterByDefault() {
        let o = ChannelOverflow.outgoing(profile: "sales", channels: 4, routing: RoutingConfig())
        #expect(o.status == 503)
        #expect(o.retryAfter == 30)
        #expect(o.reason == "all 4 channels of profile sales are in use")
        #expect(o.headers.map(\.name) == ["Retry-After"])
        #expect(o.headers.map(\.value) == ["30"])
        let custom = ChannelOverflow.outgoing(profile: "sales", channels: 1, routing: RoutingConfig(), retryAfterSeconds: 120)
        #expect(custom.retryAfter == 120)
        #expect(custom.reason == "the only channel of profile sales is in use")
        #expect(ChannelOverflow.outgoing(profile: "s", channels: 1, routing: RoutingConfig(), retryAfterSeconds: -5).retryAfter == 0)
    }

    @Test func outgoingOverflowIs486WhenConfigured() {
        let o = ChannelOverflow.outgoing(profile: "sales", channels: 4, routing: RoutingConfig(overflowResponse: .busyHere))
        #expect(o.status == 486)
        #expect(o.retryAfter == nil)
        #expect(o.headers.isEmpty)
    }

    @Test func incomingOverflowIsAlways486() {
        // Toward the trunk the answer does not depend on routing's overflow-response.
        let o = ChannelOverflow.incoming(profile: "engineering", channels: 300)
        #expect(o == ChannelOverflow(status: 486, reason: "all 300 channels of profile engineering are in use", retryAfter: nil))
        #expect(o.headers.isEmpty)
    }
}
