// SRVOrderingTests: priority order and weighted selection of SRV targets (RFC 2782 "Usage rules"), with scripted and seeded randomness.
import Testing
@testable import SIPLocator

@Suite struct SRVOrderingTests {
    private func srv(_ priority: UInt16, _ weight: UInt16, _ target: String) throws -> DNSSRVRecord {
        DNSSRVRecord(priority: priority, weight: weight, port: 5060, target: try dnsName(target))
    }

    // The first label of each target, e.g. `["a", "b"]`.
    private func names(_ records: [DNSSRVRecord]) -> [String] {
        records.map { String(decoding: $0.target.labels[0], as: UTF8.self) }
    }

    @Test func lowerPriorityAlwaysComesFirst() throws {
        let records = [try srv(20, 5, "c"), try srv(10, 1, "a"), try srv(30, 0, "d"), try srv(10, 9, "b")]
        for seed in 0..<200 {
            var rng = SplitMix64(seed: UInt64(seed))
            let ordered = DNSSRVRecord.ordered(records, using: &rng)
            #expect(ordered.map(\.priority) == [10, 10, 20, 30])
            #expect(Set(names(Array(ordered.prefix(2)))) == ["a", "b"])
        }
    }

    @Test func scriptedDrawsSelectByRunningSum() throws {
        let records = [try srv(10, 60, "a"), try srv(10, 20, "b"), try srv(10, 20, "c")]
        // No weight 0: r = 1 + v % sum. v=0 -> r=1 -> a; then sum 40: v=39 -> r=40 -> c (b reaches only 20).
        var first = ScriptedRandom([0, 39, 0])
        #expect(names(DNSSRVRecord.ordered(records, using: &first)) == ["a", "c", "b"])
        // v=60 -> r=61 -> b (a reaches 60, b 80); then [a, c] sum 80: v=60 -> r=61 -> c.
        var second = ScriptedRandom([60, 60, 0])
        #expect(names(DNSSRVRecord.ordered(records, using: &second)) == ["b", "c", "a"])
        // v=99 -> r=100 -> c; then [a, b]: v=59 -> r=60 -> a exactly at its running sum.
        var third = ScriptedRandom([99, 59, 0])
        #expect(names(DNSSRVRecord.ordered(records, using: &third)) == ["c", "a", "b"])
    }

    @Test func weightZeroIsPlacedFirstAndTakenOnlyOnAZeroDraw() throws {
        // Listed after "a", but weight-0 "z" goes to the front of the draw: r = v % (10 + 1).
        let records = [try srv(1, 10, "a"), try srv(1, 0, "z")]
        var zero = ScriptedRandom([11, 0])
        #expect(names(DNSSRVRecord.ordered(records, using: &zero)) == ["z", "a"])
        var one = ScriptedRandom([1, 0])
        #expect(names(DNSSRVRecord.ordered(records, using: &one)) == ["a", "z"])
    }

    @Test func rfc2782ExampleSharesLoadThreeToOne() throws {
        // RFC 2782's example zone for _foobar._tcp: "make three quarters of the logins go to new-fast-box".
        let records = [try srv(0, 1, "old-slow-box"), try srv(0, 3, "new-fast-box"),
                       try srv(1, 0, "sysadmins-box"), try srv(1, 0, "server")]
        var rng = SplitMix64(seed: 2782)
        var fastFirst = 0, sysadminThird = 0, priorityViolations = 0
        let runs = 20_000
        for _ in 0..<runs {
            let order = names(DNSSRVRecord.ordered(records, using: &rng))
            if Set(order.prefix(2)) != ["old-slow-box", "new-fast-box"] { priorityViolations += 1 }
            if order[0] == "new-fast-box" { fastFirst += 1 }
            if order[2] == "sysadmins-box" { sysadminThird += 1 }
        }
        #expect(priorityViolations == 0)
        #expect(abs(Double(fastFirst) / Double(runs) - 0.75) < 0.015, "new-fast-box first \(fastFirst) of \(runs)")
        // All weights 0 at priority 1: an even split.
        #expect(abs(Double(sysadminThird) / Double(runs) - 0.5) < 0.015, "sysadmins-box first of priority 1: \(sysadminThird)")
    }

    @Test func weightedFirstChoiceMatchesTheWeights() throws {
        let records = [try srv(5, 10, "c"), try srv(5, 60, "a"), try srv(5, 30, "b")]
        var rng = SplitMix64(seed: 42)
        var counts: [String: Int] = [:]
        let runs = 30_000
        for _ in 0..<runs { counts[names(DNSSRVRecord.ordered(records, using: &rng))[0], default: 0] += 1 }
        for (name, share) in [("a", 0.6), ("b", 0.3), ("c", 0.1)] {
            #expect(abs(Double(counts[name] ?? 0) / Double(runs) - share) < 0.012, "\(name): \(counts[name] ?? 0)")
        }
    }

    @Test func weightZeroGetsAOneInSumPlusOneChance() throws {
        let records = [try srv(1, 10, "a"), try srv(1, 0, "z")]
        var rng = SplitMix64(seed: 7)
        var zFirst = 0
        let runs = 44_000
        for _ in 0..<runs where names(DNSSRVRecord.ordered(records, using: &rng))[0] == "z" { zFirst += 1 }
        #expect(abs(Double(zFirst) / Double(runs) - 1.0 / 11.0) < 0.006, "z first \(zFirst) of \(runs)")
    }

    @Test func serviceUnavailableTargetsAreLeftOut() throws {
        var rng = SplitMix64(seed: 1)
        #expect(DNSSRVRecord.ordered([try srv(0, 0, ".")], using: &rng).isEmpty)
        #expect(try srv(0, 0, ".").isServiceUnavailable)
        #expect(names(DNSSRVRecord.ordered([try srv(0, 0, "."), try srv(5, 1, "a")], using: &rng)) == ["a"])
        #expect(DNSSRVRecord.ordered([], using: &rng).isEmpty)
    }

    @Test func sameSeedSameOrder() throws {
        let records = try (0..<8).map { try srv(UInt16($0 % 2), UInt16($0 * 7), "h\($0)") }
        var a = SplitMix64(seed: 99), b = SplitMix64(seed: 99), c = SplitMix64(seed: 100)
        let x = DNSSRVRecord.ordered(records, using: &a)
        #expect(x == DNSSRVRecord.ordered(records, using: &b))
        #expect(Set(x) == Set(records) && x.count == 8)
        var differs = false
        for _ in 0..<20 where DNSSRVRecord.ordered(records, using: &c) != x { differs = true }
        #expect(differs, "another seed gives other orders")
    }
}
