// Fixture: the profile every registration test starts from, and small helpers.

import SIPCore
import SIPRegistration

enum Fixture {
    static let username = "99051000000001"
    static let password = "pw-Xq7!never-print"
    static let contact = try! SIPURI.parse("sip:99051000000001@192.0.2.10:5060")
    static let newContact = try! SIPURI.parse("sip:99051000000001@192.0.2.99:40312")

    static func config(
        mode: RegistrationMode = .register,
        targets: [RegistrationTarget] = [],
        requestedExpires: UInt32 = 3600,
        password: String = Fixture.password,
        instanceID: String? = nil,
        keepAliveInterval: Duration? = nil
    ) -> RegistrationConfig {
        RegistrationConfig(profileName: "Sales", username: username, secret: .password(password), contact: contact,
                           mode: mode, instanceID: instanceID, requestedExpires: requestedExpires,
                           keepAliveInterval: keepAliveInterval, targets: targets)
    }

    static let threeTargets = [
        RegistrationTarget(host: "203.0.113.1", port: 5060),
        RegistrationTarget(host: "203.0.113.2", port: 5060),
        RegistrationTarget(host: "203.0.113.3", port: 5060),
    ]
}

extension SIPMessage {
    // The first Contact's parameters and URI, for checks.
    var firstContact: SIPContact? { (try? headers.contacts)?.first }
    var cseqNumber: UInt32? { (try? headers.cseq)?.sequence }
}

extension RegistrationAction {
    var request: RegistrationRequest? { if case .sendRequest(let r) = self { return r }; return nil }
    var timer: RegistrationInstant? { if case .setTimer(let t) = self { return t }; return nil }
    var status: RegistrationStatus? { if case .stateChanged(let s) = self { return s }; return nil }
}
