/// One relay: datagrams arriving at `listen` go to `target`, and the target's replies come back.
public struct RelayMapping: Equatable, Sendable, CustomStringConvertible {
    /// Where clients send; port 0 asks for a free port (the relay reports the one it got).
    public var listen: Endpoint
    /// Where the relay forwards them, e.g. a zone's bind address.
    public var target: Endpoint

    public init(listen: Endpoint, target: Endpoint) {
        self.listen = listen
        self.target = target
    }

    /// Parses `LISTEN=TARGET`, each `HOST:PORT`, e.g. `127.0.0.1:7300=127.0.0.1:7200`.
    public init(parsing text: String) throws(NetSimError) {
        let halves = text.split(separator: "=", omittingEmptySubsequences: false)
        guard halves.count == 2 else {
            throw NetSimError(
                .badAddress,
                "a relay is LISTEN=TARGET, each HOST:PORT (e.g. 127.0.0.1:7300=127.0.0.1:7200), got '\(text)'")
        }
        do {
            self.init(
                listen: try Endpoint(parsing: String(halves[0])), target: try Endpoint(parsing: String(halves[1])))
        } catch {
            throw NetSimError(.badAddress, "relay '\(text)': \(error.message)")
        }
        guard target.port != 0 else {
            throw NetSimError(.badAddress, "relay '\(text)': the target's port must not be 0")
        }
    }

    public var description: String { "\(listen)->\(target)" }
}
