/// A bot swarm failed to start or was given bad settings.
public struct BotError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
