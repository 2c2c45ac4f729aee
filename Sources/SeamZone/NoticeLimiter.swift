/// Lets a kind of log notice through at most once per `intervalNanos`, counting those held back so the next
/// one can say how many: a zone whose tick work hovers at its budget changes its load level every few ticks,
/// and logging each change made nine lines in ten of a busy zone's log. What the zone is doing now is always
/// in its status line (`DEGRADING …`), so a notice held back loses nothing but noise.
struct NoticeLimiter {
    let intervalNanos: UInt64
    private var lastNanos: UInt64?
    private var held = 0

    init(intervalNanos: UInt64) {
        self.intervalNanos = intervalNanos
    }

    /// Whether a notice at `now` goes out, and how many were held back since the last that did (0 when it
    /// does not go out).
    mutating func admit(now: UInt64) -> (log: Bool, heldBack: Int) {
        if let last = lastNanos, now < last + intervalNanos {
            held += 1
            return (false, 0)
        }
        lastNanos = now
        defer { held = 0 }
        return (true, held)
    }
}
