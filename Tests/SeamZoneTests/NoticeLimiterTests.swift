import Testing

@testable import SeamZone

/// A zone's load notices go out at most once per interval; the next one says how many were held back.
@Suite struct NoticeLimiterTests {
    @Test func oneNoticePerIntervalAndTheNextSaysHowManyWereHeldBack() {
        var l = NoticeLimiter(intervalNanos: 5_000)
        #expect(l.admit(now: 100) == (true, 0), "the first goes out")
        #expect(l.admit(now: 200) == (false, 0))
        #expect(l.admit(now: 5_099) == (false, 0), "still within the interval")
        #expect(l.admit(now: 5_100) == (true, 2), "the interval is over: two were held back")
        #expect(l.admit(now: 20_000) == (true, 0), "none held back since")
    }
}
