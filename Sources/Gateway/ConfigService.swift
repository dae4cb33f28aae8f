// ConfigService: the running configuration and its versions: commit (plain or confirmed), confirm, rollback, history, diff.
import Config
import Foundation
import Store

/// Owns the store's configuration side for the box: which version runs, committing a checked candidate
/// as a new version in one store transaction and then applying it, confirmed commits that roll back by
/// themselves, and rollbacks. Thread-safe (one lock around the store, which is single-threaded).
public final class ConfigService: @unchecked Sendable {
    /// Called after a new version became the running one (commit, rollback, automatic revert), with
    /// what changed, so the box can apply it live. Called outside the lock.
    public var onApply: @Sendable (_ old: GatewayConfig, _ new: GatewayConfig, _ changes: ConfigChanges) -> Void = { _, _, _ in }

    private let store: Store
    private let lock = NSLock()
    private var runningConfig: GatewayConfig
    private var runningVersionID: Int64
    /// Problems found when the running version was loaded (shown by `show status`).
    public private(set) var loadWarnings: [String] = []

    /// Loads the running version from `store`. A running text that no longer parses or validates (it
    /// was committed by a firmware that knew other statements) leaves the box on factory defaults and
    /// says so in `loadWarnings`.
    public init(store: Store) throws(StoreError) {
        self.store = store
        let version = try store.running()
        runningVersionID = version.id
        let check = ConfigText.check(version.text)
        if let config = check.config, check.isValid {
            runningConfig = config
        } else {
            runningConfig = .factoryDefault
            loadWarnings.append("running version \(version.id) does not load (\(check.issues.first?.description ?? "unknown error")); running factory defaults")
        }
    }

    public var running: GatewayConfig { lock.withLock { runningConfig } }
    public var runningVersion: Int64 { lock.withLock { runningVersionID } }

    /// The running config as canonical text, secrets included (for a new candidate).
    public var runningText: String { ConfigText.serialize(running) }

    /// The result of a commit.
    public enum CommitResult: Sendable, Equatable {
        /// Stored as `version` and applied; `warnings` are the validator's non-fatal findings.
        case committed(version: Int64, warnings: [String], changes: [String])
        /// Nothing changed: no version stored.
        case unchanged
        /// Refused: every error, each naming its line and field.
        case refused([String])
    }

    /// Checks `candidate` and, when valid and different, stores it as a new version (one transaction) and
    /// applies it. `confirmMinutes` makes it a confirmed commit: it rolls back by itself unless `confirm()`
    /// is called within that time (the deadline survives a restart).
    public func commit(_ candidate: String, author: String, comment: String = "", confirmMinutes: Int? = nil,
                       now: UTCTime = .now()) -> CommitResult {
        let (result, applied) = lock.withLock { () -> (CommitResult, (GatewayConfig, GatewayConfig, ConfigChanges)?) in
            let check = ConfigText.check(candidate, running: runningConfig)
            guard let config = check.config, check.isValid else {
                return (.refused(check.issues.filter { $0.severity == .error }.map(\.description)), nil)
            }
            let changes = ConfigChanges(from: runningConfig, to: config)
            if changes.isEmpty && confirmMinutes == nil { return (.unchanged, nil) }
            let text = ConfigText.serialize(config)
            let version: ConfigVersion
            do throws(StoreError) {
                if let minutes = confirmMinutes {
                    version = try store.commit(text: text, author: author, comment: comment, confirmWithin: minutes * 60, now: now)
                } else {
                    version = try store.commit(text: text, author: author, comment: comment, now: now)
                }
            } catch {
                return (.refused(["the store refused the commit: \(error)"]), nil)
            }
            let old = runningConfig
            runningConfig = config
            runningVersionID = version.id
            let warnings = check.issues.filter { $0.severity != .error }.map(\.description)
            return (.committed(version: version.id, warnings: warnings, changes: changes.summary), (old, config, changes))
        }
        if let (old, new, changes) = applied { onApply(old, new, changes) }
        return result
    }

    /// Confirms a pending confirmed commit.
    public func confirm() -> String {
        lock.withLock {
            do throws(StoreError) {
                guard try store.pendingConfirmation() != nil else { return "% no commit is waiting for confirmation" }
                let v = try store.confirm()
                return "commit \(v.id) confirmed"
            } catch {
                return "% \(error)"
            }
        }
    }

    /// The pending confirmed commit, if any: its version and when it rolls back.
    public func pendingConfirmation() -> PendingConfirmation? {
        lock.withLock { try? store.pendingConfirmation() }
    }

    /// Rolls an unconfirmed commit back when its deadline has passed; call it periodically and at start.
    /// Returns the version now running when it rolled back.
    @discardableResult
    public func revertIfUnconfirmed(now: UTCTime = .now()) -> Int64? {
        let applied = lock.withLock { () -> (GatewayConfig, GatewayConfig, ConfigChanges, Int64)? in
            guard let reverted = try? store.revertUnconfirmed(now: now, author: "system") else { return nil }
            return adopt(reverted)
        }
        guard let (old, new, changes, id) = applied else { return nil }
        onApply(old, new, changes)
        return id
    }

    /// Stores version `id`'s text again as a new version and applies it.
    public func rollback(to id: Int64, author: String, now: UTCTime = .now()) -> String {
        let result = lock.withLock { () -> (String, (GatewayConfig, GatewayConfig, ConfigChanges, Int64)?) in
            do throws(StoreError) {
                guard try store.version(id) != nil else { return ("% no configuration version \(id)", nil) }
                let v = try store.rollback(to: id, author: author, now: now)
                guard let adopted = adopt(v) else { return ("% version \(id) does not load on this firmware", nil) }
                return ("rolled back to version \(id): now running version \(v.id)", adopted)
            } catch {
                return ("% \(error)", nil)
            }
        }
        if let (old, new, changes, _) = result.1 { onApply(old, new, changes) }
        return result.0
    }

    // Makes a stored version the running config (under the lock); nil when its text does not load.
    private func adopt(_ version: ConfigVersion) -> (GatewayConfig, GatewayConfig, ConfigChanges, Int64)? {
        let check = ConfigText.check(version.text)
        guard let config = check.config, check.isValid else { return nil }
        let old = runningConfig
        runningConfig = config
        runningVersionID = version.id
        return (old, config, ConfigChanges(from: old, to: config), version.id)
    }

    /// `show config history`: newest first.
    public func history(limit: Int = 20) -> String {
        lock.withLock {
            guard let versions = try? store.history(limit: limit) else { return "% the store cannot be read" }
            let pending = try? store.pendingConfirmation()
            var out = "version  committed (UTC)           by          comment\n"
            for v in versions {
                var flags = v.id == runningVersionID ? " (running)" : ""
                if pending?.versionID == v.id { flags += " (unconfirmed)" }
                let who = v.author.padding(toLength: 10, withPad: " ", startingAt: 0)
                out += String(format: "%7lld", v.id) + "  \(v.created)  \(who)  \(v.comment)\(flags)\n"
            }
            return out
        }
    }

    /// `show config diff A B`, secrets masked.
    public func diff(from a: Int64, to b: Int64) -> String {
        lock.withLock {
            guard let va = try? store.version(a) else { return "% no configuration version \(a)" }
            guard let vb = try? store.version(b) else { return "% no configuration version \(b)" }
            let text = ConfigDiff.text(from: va.text, to: vb.text)
            return text.isEmpty ? "versions \(a) and \(b) are the same\n" : text
        }
    }

    /// A stored setting (the console password hash, ...).
    public func setting(_ key: String) -> String? { lock.withLock { try? store.setting(key) } }

    /// Stores a setting; returns an error message or nil.
    public func setSetting(_ key: String, _ value: String) -> String? {
        lock.withLock {
            do throws(StoreError) { try store.setSetting(key, to: value); return nil } catch { return "\(error)" }
        }
    }

    /// Runs `body` with the store under the lock (call records, reports).
    public func withStore<T>(_ body: (Store) throws -> T) rethrows -> T {
        try lock.withLock { try body(store) }
    }
}
