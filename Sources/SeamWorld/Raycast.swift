/// Ray tests for hitscan shots.
public enum Raycast {
    /// Distance along the unit direction `d` from `origin` to the first wall tile, or `maxDistance` if none
    /// is nearer. Walks the tile grid cell by cell (Amanatides & Woo), so the cost is the tiles crossed.
    public static func wallDistance(map: GameMap, from origin: Vec2, direction d: Vec2, maxDistance: Double) -> Double {
        var tx = Int(origin.x.rounded(.down))
        var ty = Int(origin.y.rounded(.down))
        if map.isWall(x: tx, y: ty) { return 0 }
        let stepX = d.x > 0 ? 1 : -1
        let stepY = d.y > 0 ? 1 : -1
        let inf = Double.infinity
        let deltaX = d.x != 0 ? abs(1 / d.x) : inf
        let deltaY = d.y != 0 ? abs(1 / d.y) : inf
        var nextX = d.x != 0 ? ((d.x > 0 ? Double(tx + 1) - origin.x : origin.x - Double(tx)) * deltaX) : inf
        var nextY = d.y != 0 ? ((d.y > 0 ? Double(ty + 1) - origin.y : origin.y - Double(ty)) * deltaY) : inf
        while true {
            let t: Double
            if nextX < nextY {
                t = nextX
                tx += stepX
                nextX += deltaX
            } else {
                t = nextY
                ty += stepY
                nextY += deltaY
            }
            if t >= maxDistance { return maxDistance }
            if map.isWall(x: tx, y: ty) { return t }
        }
    }

    /// Distance along unit `d` from `origin` at which the ray enters the circle, or nil if it misses.
    /// An origin inside the circle hits at 0.
    public static func circleHit(from origin: Vec2, direction d: Vec2, center: Vec2, radius: Double) -> Double? {
        let m = Vec2(x: center.x - origin.x, y: center.y - origin.y)
        let b = m.x * d.x + m.y * d.y
        let c = m.x * m.x + m.y * m.y - radius * radius
        if c <= 0 { return 0 }
        if b <= 0 { return nil }
        let disc = b * b - c
        if disc < 0 { return nil }
        return b - disc.squareRoot()
    }
}
