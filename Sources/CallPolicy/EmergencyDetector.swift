// EmergencyDetector: recognises the configured emergency numbers in whatever the PBX dialled.

import Config

/// Recognises emergency numbers (`routing.emergency`) in a dialled Request-URI user. Checked before
/// anything else, so an emergency number is never refused because it does not normalise.
///
/// A dialled text is an emergency call when, separators dropped, it equals one of the emergency numbers
/// either as dialled or with the access prefix stripped (`999` and `9999` with access prefix `9`). The match
/// is exact: `+911`, `0112` or `9111` are not emergency calls.
public struct EmergencyDetector: Sendable, Hashable {
    /// The emergency numbers, separators dropped; empty entries ignored.
    public let numbers: [String]
    let normalizer: NumberNormalizer

    public init(routing: RoutingConfig, numbering: NumberingConfig) {
        numbers = routing.emergency.map(NumberText.droppingSeparators).filter { !$0.isEmpty }
        normalizer = NumberNormalizer(numbering: numbering)
    }

    /// The emergency number (as configured) that `dialled` is a call to, nil when it is none.
    public func match(dialled: String) -> String? {
        let raw = NumberText.droppingSeparators(dialled)
        guard !raw.isEmpty else { return nil }
        let stripped = normalizer.strippingAccessPrefix(dialled)
        return numbers.first { $0 == stripped } ?? numbers.first { $0 == raw }
    }

    /// Whether `dialled` is a call to an emergency number.
    public func isEmergency(dialled: String) -> Bool {
        match(dialled: dialled) != nil
    }
}
