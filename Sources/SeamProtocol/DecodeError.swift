/// A message that could not be decoded: what was wrong and at which byte offset.
public struct DecodeError: Error, CustomStringConvertible, Equatable, Sendable {
    public var reason: String
    public var offset: Int

    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
