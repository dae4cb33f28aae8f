// Store+Settings: a small key-value table for state that is not config (console password hash, lockout counters).

extension Store {
    /// The value stored under `key`, or nil.
    public func setting(_ key: String) throws(StoreError) -> String? {
        try lock.withLock { () throws(StoreError) in
            try connection.queryFirst("SELECT value FROM settings WHERE key = ?", key) { $0.string(0) }
        }
    }

    /// Stores `value` under `key` (replacing any), durable on return.
    public func setSetting(_ key: String, to value: String) throws(StoreError) {
        guard !key.isEmpty else { throw .invalidArgument("a setting needs a non-empty key") }
        try lock.withLock { () throws(StoreError) -> Void in
            try connection.transaction { () throws(StoreError) -> Void in
                _ = try connection.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
            }
        }
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func removeSetting(_ key: String) throws(StoreError) -> Bool {
        try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                try connection.run("DELETE FROM settings WHERE key = ?", key) > 0
            }
        }
    }
}
