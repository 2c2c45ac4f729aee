extension Array {
    /// `count` elements, keeping the storage and whatever the kept elements hold, appending `fill` to grow:
    /// for per-tick columns whose every element the caller overwrites, so that a column of the same size as
    /// last tick is neither emptied nor filled again.
    mutating func resize(to count: Int, fill: Element) {
        if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            append(contentsOf: repeatElement(fill, count: count - self.count))
        }
    }
}
