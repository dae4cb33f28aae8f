// CallRecordWriter: writes finished calls' records on one writer thread, many to a transaction when calls end while a write is in progress (group commit: one fsync for all of them).
import Foundation
import Store

/// Durable call records without one fsync per call under load. `write` queues a record and its
/// completion; the writer takes everything queued so far and commits it in one transaction, then runs
/// the completions (the 200 OK to each BYE goes out only then). A batch the store refuses is retried
/// record by record, so one bad record never takes others with it.
public final class CallRecordWriter: @unchecked Sendable {
    private let store: Store
    private let queue = DispatchQueue(label: "trunkbox.records")
    private let lock = NSLock()
    private var pending: [(CallRecord, @Sendable () -> Void)] = []
    private var draining = false
    private let log: @Sendable (String) -> Void
    /// Records written and transactions used (for the status and the benchmarks).
    public private(set) var written = 0
    public private(set) var commits = 0

    public init(store: Store, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.log = log
    }

    public func write(_ record: CallRecord, then done: @escaping @Sendable () -> Void) {
        let start = lock.withLock { () -> Bool in
            pending.append((record, done))
            if draining { return false }
            draining = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let batch = lock.withLock { () -> [(CallRecord, @Sendable () -> Void)] in
                let b = pending
                pending.removeAll(keepingCapacity: true)
                if b.isEmpty { draining = false }
                return b
            }
            if batch.isEmpty { return }
            do {
                try store.insertCallRecords(batch.map(\.0))
                lock.withLock { written += batch.count; commits += 1 }
            } catch {
                for (record, _) in batch {
                    do {
                        try store.insertCallRecord(record)
                        lock.withLock { written += 1; commits += 1 }
                    } catch {
                        log("call record NOT written (\(record.callID)): \(error)")
                    }
                }
            }
            for (_, done) in batch { done() }
        }
    }
}
