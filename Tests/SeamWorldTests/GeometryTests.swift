import SeamWorld
import Testing

@Suite struct Vec2Tests {
    @Test func arithmetic() {
        let a = Vec2(x: 3, y: 4)
        #expect(a + Vec2(x: 1, y: 1) == Vec2(x: 4, y: 5))
        #expect(a - Vec2(x: 1, y: 1) == Vec2(x: 2, y: 3))
        #expect(a * 2 == Vec2(x: 6, y: 8))
        #expect(2 * a == Vec2(x: 6, y: 8))
        #expect(-a == Vec2(x: -3, y: -4))
        #expect(a.length == 5)
        #expect(a.lengthSquared == 25)
        #expect(a.dot(Vec2(x: 2, y: -1)) == 2)
        #expect(a.distance(to: .zero) == 5)
    }

    @Test func normalizedHasUnitLengthAndZeroStaysZero() {
        let n = Vec2(x: 3, y: 4).normalized()
        #expect(abs(n.length - 1) < 1e-12)
        #expect(abs(n.x - 0.6) < 1e-12)
        #expect(Vec2.zero.normalized() == .zero)
    }
}

@Suite struct RectTests {
    let rect = Rect(x: 2, y: 3, width: 4, height: 5)

    @Test func edges() {
        #expect(rect.minX == 2)
        #expect(rect.minY == 3)
        #expect(rect.maxX == 6)
        #expect(rect.maxY == 8)
    }

    @Test func sharesEdgeOnlyAlongAStretchOfAnEdge() {
        // rect spans x 2..<6, y 3..<8.
        #expect(rect.sharesEdge(with: Rect(x: 6, y: 0, width: 3, height: 4)))   // east, overlapping y 3..<4
        #expect(rect.sharesEdge(with: Rect(x: 0, y: 8, width: 3, height: 2)))   // south, overlapping x 2..<3
        #expect(rect.sharesEdge(with: Rect(x: 0, y: 0, width: 2, height: 20)))  // west, the whole edge
        #expect(!rect.sharesEdge(with: Rect(x: 6, y: 8, width: 3, height: 3)))  // south-east corner only
        #expect(!rect.sharesEdge(with: Rect(x: 0, y: 0, width: 2, height: 3)))  // north-west corner only
        #expect(!rect.sharesEdge(with: Rect(x: 7, y: 3, width: 3, height: 3)))  // apart
        #expect(!rect.sharesEdge(with: Rect(x: 3, y: 4, width: 1, height: 1)))  // inside, not touching
    }

    @Test func containsIsHalfOpen() {
        #expect(rect.contains(Vec2(x: 2, y: 3)))
        #expect(rect.contains(Vec2(x: 5.999, y: 7.999)))
        #expect(!rect.contains(Vec2(x: 6, y: 4)))
        #expect(!rect.contains(Vec2(x: 3, y: 8)))
        #expect(!rect.contains(Vec2(x: 1.999, y: 4)))
        #expect(!rect.contains(Vec2(x: .nan, y: 4)))
        #expect(rect.contains(TileCoord(x: 5, y: 7)))
        #expect(!rect.contains(TileCoord(x: 6, y: 7)))
    }

    @Test func clampKeepsTheMargin() {
        #expect(rect.clamp(Vec2(x: 0, y: 100), margin: 0.5) == Vec2(x: 2.5, y: 7.5))
        #expect(rect.clamp(Vec2(x: 4, y: 5), margin: 0.5) == Vec2(x: 4, y: 5))
        #expect(rect.clamp(Vec2(x: 9, y: -9), margin: 1) == Vec2(x: 5, y: 4))
    }

    @Test func clampWithZeroMarginStaysInside() {
        let p = rect.clamp(Vec2(x: 100, y: 100), margin: 0)
        #expect(rect.contains(p))
        #expect(p.x < 6 && p.x > 5.999)
    }

    @Test func clampWithTooLargeMarginUsesTheCentre() {
        #expect(rect.clamp(Vec2(x: 0, y: 0), margin: 3) == Vec2(x: 4, y: 5.5))
        #expect(rect.clamp(Vec2(x: 0, y: 0), margin: 2) == Vec2(x: 4, y: 5))
    }

    @Test func distance() {
        #expect(rect.distance(to: Vec2(x: 3, y: 4)) == 0)
        #expect(rect.distance(to: Vec2(x: 6, y: 8)) == 0)
        #expect(rect.distance(to: Vec2(x: 0, y: 4)) == 2)
        #expect(rect.distance(to: Vec2(x: 9, y: 12)) == 5)
    }

    @Test func touchesAndIntersects() {
        let right = Rect(x: 6, y: 3, width: 2, height: 2)
        let diagonal = Rect(x: 6, y: 8, width: 1, height: 1)
        let apart = Rect(x: 7, y: 3, width: 1, height: 1)
        #expect(rect.touches(right) && !rect.intersects(right))
        #expect(rect.touches(diagonal) && !rect.intersects(diagonal))
        #expect(!rect.touches(apart))
        #expect(rect.intersects(Rect(x: 5, y: 7, width: 3, height: 3)))
    }
}
