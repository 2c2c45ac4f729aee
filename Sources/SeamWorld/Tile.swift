/// What occupies one tile of a map.
public enum Tile: UInt8, Sendable, CaseIterable {
    /// Walkable ground (`.`).
    case floor = 0
    /// Impassable wall (`#`).
    case wall = 1
    /// A player spawn point; walkable (`S`).
    case spawn = 2
    /// A spot where a coin appears; walkable (`c`).
    case coin = 3

    /// The character used for this tile in a `.map` file.
    public var character: Character {
        switch self {
        case .floor: "."
        case .wall: "#"
        case .spawn: "S"
        case .coin: "c"
        }
    }

    /// The tile written as `scalar` in a `.map` file, or nil if it is not a tile character.
    public init?(mapCharacter scalar: Unicode.Scalar) {
        switch scalar {
        case ".": self = .floor
        case "#": self = .wall
        case "S": self = .spawn
        case "c": self = .coin
        default: return nil
        }
    }
}
