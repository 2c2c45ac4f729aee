import SeamWorld

/// A uniform grid over the map, rebuilt from scratch every tick with a counting sort: O(items + cells),
/// no allocation once warm. Queries visit only the cells a circle's bounding box touches.
public struct SpatialGrid: Sendable {
    public private(set) var cellSize: Double
    public private(set) var columns: Int
    public private(set) var rows: Int
    private let width: Int
    private let height: Int
    private var cellStart: [Int32]
    private var items: [Int32]
    /// Positions in the same order as `items` (grouped by cell), so a search reads contiguous memory
    /// instead of jumping around the player array: at 4,000 players that was most of the tick.
    private var itemPositions: [Vec2] = []
    private var cellOfItem: [Int32] = []
    /// Scratch for `rebuild`: each cell's next free slot (kept, so a rebuild allocates nothing).
    private var fill: [Int32] = []

    /// Items placed at the last rebuild.
    public var itemCount: Int { items.count }

    public init(width: Int, height: Int, cellSize: Double) {
        precondition(cellSize > 0)
        self.width = width
        self.height = height
        self.cellSize = cellSize
        columns = max(1, Int((Double(width) / cellSize).rounded(.up)))
        rows = max(1, Int((Double(height) / cellSize).rounded(.up)))
        cellStart = Array(repeating: 0, count: columns * rows + 1)
        items = []
    }

    @inline(__always)
    private func cell(of p: Vec2) -> Int {
        let cx = min(max(Int(p.x / cellSize), 0), columns - 1)
        let cy = min(max(Int(p.y / cellSize), 0), rows - 1)
        return cy * columns + cx
    }

    /// Changes the cell size (the next rebuild uses it). Keeping a few items per cell keeps searches
    /// proportional to what they find as a crowd gets denser.
    public mutating func resize(cellSize newSize: Double) {
        precondition(newSize > 0)
        guard newSize != cellSize else { return }
        cellSize = newSize
        columns = max(1, Int((Double(width) / newSize).rounded(.up)))
        rows = max(1, Int((Double(height) / newSize).rounded(.up)))
        cellStart = Array(repeating: 0, count: columns * rows + 1)
    }

    /// Rebuilds the grid from `positions`; item `i` is `positions[i]`.
    public mutating func rebuild(count: Int, position: (Int) -> Vec2) {
        cellOfItem.removeAll(keepingCapacity: true)
        for i in cellStart.indices { cellStart[i] = 0 }
        for i in 0..<count {
            let c = cell(of: position(i))
            cellOfItem.append(Int32(c))
            cellStart[c + 1] += 1
        }
        for c in 1..<cellStart.count { cellStart[c] += cellStart[c - 1] }
        items.removeAll(keepingCapacity: true)
        items.append(contentsOf: repeatElement(0, count: count))
        itemPositions.removeAll(keepingCapacity: true)
        itemPositions.append(contentsOf: repeatElement(.zero, count: count))
        // Assigned, not a fresh copy of `cellStart`: writing to a copy allocated and copied every tick.
        fill.removeAll(keepingCapacity: true)
        fill.append(contentsOf: cellStart)
        for i in 0..<count {
            let c = Int(cellOfItem[i])
            items[Int(fill[c])] = Int32(i)
            itemPositions[Int(fill[c])] = position(i)
            fill[c] += 1
        }
    }

    /// Calls `visit` with every item whose cell touches the square around `center` of half-side `radius`.
    /// Callers filter by exact distance.
    @inline(__always)
    public func forEachCandidate(around center: Vec2, radius: Double, _ visit: (Int) -> Void) {
        let x0 = min(max(Int((center.x - radius) / cellSize), 0), columns - 1)
        let x1 = min(max(Int((center.x + radius) / cellSize), 0), columns - 1)
        let y0 = min(max(Int((center.y - radius) / cellSize), 0), rows - 1)
        let y1 = min(max(Int((center.y + radius) / cellSize), 0), rows - 1)
        for cy in y0...y1 {
            for cx in x0...x1 {
                let c = cy * columns + cx
                for k in Int(cellStart[c])..<Int(cellStart[c + 1]) { visit(Int(items[k])) }
            }
        }
    }

    /// Column and row of the cell holding `p` (clamped to the grid).
    @inline(__always)
    public func cellCoordinates(of p: Vec2) -> (column: Int, row: Int) {
        (min(max(Int(p.x / cellSize), 0), columns - 1), min(max(Int(p.y / cellSize), 0), rows - 1))
    }

    /// Calls `visit` with every item in one cell and the position it had at the rebuild; cells outside the
    /// grid hold nothing.
    @inline(__always)
    public func forEachItem(column: Int, row: Int, _ visit: (Int, Vec2) -> Void) {
        guard column >= 0, column < columns, row >= 0, row < rows else { return }
        let c = row * columns + column
        for k in Int(cellStart[c])..<Int(cellStart[c + 1]) { visit(Int(items[k]), itemPositions[k]) }
    }
}
