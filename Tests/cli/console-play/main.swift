// console-play: types a golden transcript's keystrokes into `trunkbox console` on a real pseudo-terminal and
// prints what the terminal shows, in the .out format (Tests/cli/console-box.sh compares it with the fixture).
//
//   console-play TRUNKBOX SOCKET INPUT.in
import Console
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("console-play: \(message)\n".utf8))
    exit(2)
}

let args = CommandLine.arguments
guard args.count == 4 else { fail("usage: console-play TRUNKBOX SOCKET INPUT.in") }
guard let inText = try? String(contentsOfFile: args[3], encoding: .utf8) else { fail("cannot read \(args[3])") }
let input = ConsoleTranscript.decodeInput(inText)

let pty: PseudoTerminal
do { pty = try PseudoTerminal.open() } catch { fail("\(error)") }
// The slave is raw before the client starts, so nothing typed early is echoed by the line discipline.
let slave: Int32
do { slave = try TerminalDevice.open(path: pty.slavePath, speed: 115200) } catch { fail("\(error)") }
let client = Process()
client.executableURL = URL(fileURLWithPath: args[1])
client.arguments = ["console", "--socket", args[2]]
let slaveHandle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
client.standardInput = slaveHandle
client.standardOutput = slaveHandle
client.standardError = slaveHandle
do { try client.run() } catch { fail("cannot start \(args[1]): \(error)") }
close(slave)

let master = pty.masterFD
var output: [UInt8] = []
var sent = 0
var buffer = [UInt8](repeating: 0, count: 4096)
let deadline = Date().addingTimeInterval(30)
loop: while Date() < deadline {
    let typing = !output.isEmpty && sent < input.count
    var p = pollfd(fd: master, events: Int16(POLLIN) | (typing ? Int16(POLLOUT) : 0), revents: 0)
    if poll(&p, 1, 200) < 0 { continue }
    if p.revents & Int16(POLLIN) != 0 {
        let n = read(master, &buffer, buffer.count)
        if n <= 0 { break loop }
        output += buffer[0..<n]
    } else if p.revents & Int16(POLLHUP) != 0 {
        break loop
    }
    if typing, p.revents & Int16(POLLOUT) != 0 {
        let chunk = min(64, input.count - sent)
        let n = input[sent..<sent + chunk].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        if n > 0 { sent += n }
    }
    if !client.isRunning && p.revents & Int16(POLLIN) == 0 { break loop }

}
if client.isRunning { client.terminate() }
client.waitUntilExit()
FileHandle.standardOutput.write(Data(ConsoleTranscript.encodeOutput(output).utf8))
if Date() >= deadline { fail("the console did not end within 30 s") }
