// DigestSecretTests: passwords and stored HA1 values (RFC 7616 §5.2) never show in descriptions, reflection, dumps or mirrors.
import Testing
@testable import SIPCore

struct DigestSecretTests {
    static let password = "Circle Of Life"

    private func allRenderings<T>(_ value: T) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        let mirrored = Mirror(reflecting: value).children.map { "\($0.label ?? ""): \($0.value)" }.joined(separator: ", ")
        return ["\(value)", String(describing: value), String(reflecting: value), dumped, mirrored, "\([value])"]
    }

    @Test func secretNeverPrintsThePassword() {
        let secret = DigestSecret.password(Self.password)
        #expect("\(secret)" == "********")
        #expect(String(reflecting: secret) == "********")
        for text in allRenderings(secret) {
            #expect(!text.contains(Self.password), "\(text)")
            #expect(!text.contains("Circle"), "\(text)")
            #expect(text.contains("********"), "\(text)")
        }
        #expect(Mirror(reflecting: secret).children.map { "\($0.value)" } == ["********"])
    }

    @Test func clientNeverPrintsThePassword() {
        let client = DigestClient(username: "Mufasa", password: Self.password)
        #expect("\(client)" == #"DigestClient(username: "Mufasa", secret: ********)"#)
        #expect(String(reflecting: client) == "\(client)")
        for text in allRenderings(client) {
            #expect(!text.contains("Circle"), "\(text)")
            #expect(text.contains("Mufasa"), "\(text)")
        }
        #expect(Mirror(reflecting: client).children.contains { $0.label == "secret" && "\($0.value)" == "********" })
    }

    @Test func storedHA1IsAlsoRedacted() throws {
        let ha1 = "939e7578ed9e3c518a452acee763bce9"
        let secret = try DigestSecret.precomputedHA1(ha1, algorithm: .md5)
        let client = DigestClient(username: "Mufasa", secret: secret)
        for text in allRenderings(secret) + allRenderings(client) {
            #expect(!text.contains(ha1), "\(text)")
            #expect(!text.contains("939e75"), "\(text)")
        }
    }

    @Test func containersAndOptionalsOfSecretsStayRedacted() {
        let secret: DigestSecret? = .password(Self.password)
        let pair = (user: "u", secret: DigestSecret.password(Self.password))
        for text in allRenderings(secret) + allRenderings(pair) + allRenderings(["k": DigestSecret.password(Self.password)]) {
            #expect(!text.contains("Circle"), "\(text)")
        }
    }
}
