/// Something the network simulator could not do, with a message that names what and, for the world's
/// errors, the system call and its errno.
public struct NetSimError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        /// The impairment spec is malformed: an unknown key, a value without its unit, a value out of range.
        case badSpec
        /// A `HOST:PORT` that does not parse or does not resolve to an IPv4 address.
        case badAddress
        /// A socket call failed (bind in use, no permission, out of descriptors); the message names the call.
        case system
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
