// TestPKI: a throw-away CA and a server certificate for the name localhost (no IP SAN, so the name is what is checked), made per test run.
import Foundation

struct TestPKI {
    let dir: URL
    var caFile: String { dir.appendingPathComponent("ca.pem").path }
    var certFile: String { dir.appendingPathComponent("server.pem").path }
    var keyFile: String { dir.appendingPathComponent("server.key").path }
    /// A second CA that signed nothing we trust: for the "wrong CA" test.
    var otherCAFile: String { dir.appendingPathComponent("other-ca.pem").path }

    static func make() throws -> TestPKI {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trunkbox-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = """
        set -e
        cd '\(dir.path)'
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=trunkbox test CA' 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=other CA' 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
        printf 'subjectAltName=DNS:localhost\\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return TestPKI(dir: dir)
    }
}
