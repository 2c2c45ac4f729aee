/// One zone of a map: a rectangle of tiles simulated by one zone server.
public struct ZoneSpec: Hashable, Sendable, CustomStringConvertible {
    /// Zone identifier, matching `[a-z0-9-]{1,16}`; unique within the map.
    public var id: String
    /// Position of the zone in `GameMap.zones` (file order, or row-major for a grid).
    public var index: Int
    /// The tiles the zone owns.
    public var rect: Rect
    /// UDP port of the zone server, in `1...65535`; unique within the map.
    public var port: Int

    /// Creates a zone description.
    public init(id: String, index: Int, rect: Rect, port: Int) {
        self.id = id
        self.index = index
        self.rect = rect
        self.port = port
    }

    /// `id@rect:port`.
    public var description: String { "\(id)@\(rect):\(port)" }

    /// True if `id` is a valid zone identifier: 1 to 16 characters from `a-z`, `0-9` and `-`.
    public static func isValidID(_ id: String) -> Bool {
        let scalars = id.unicodeScalars
        guard (1...16).contains(scalars.count) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
