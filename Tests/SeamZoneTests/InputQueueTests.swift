import SeamProtocol
import Testing

@testable import SeamZone

/// A player's input queue: in sequence order, each input once, at most 4 kept while playing (a burst cannot
/// speed a player up) and 64 while frozen for a handoff (kept to be forwarded), the oldest dropped first.
@Suite struct InputQueueTests {
    /// An Input message's commands for sequences `newest` down to `newest - count + 1`, newest first, each
    /// command telling its sequence by its aim.
    static func message(newest: UInt32, count: Int) -> InputCommands {
        InputCommands((0..<count).map { InputCommand(aim: UInt16(newest - UInt32($0))) })
    }

    static func drain(_ queue: inout InputQueue) -> [UInt32] {
        var taken: [UInt32] = []
        while let e = queue.takeOldest() {
            #expect(UInt32(e.command.aim) == e.sequence)
            taken.append(e.sequence)
        }
        return taken
    }

    @Test func inputsComeOutOnceEachInSequenceOrderAsTheyArrive() {
        var q = InputQueue()
        var taken: [UInt32] = []
        // Each message repeats the 3 before it; one message in, one input out, as a playing client's.
        for newest in UInt32(1)...40 {
            q.receive(newestSequence: newest, commands: Self.message(newest: newest, count: min(4, Int(newest))), frozen: false)
            if let e = q.takeOldest() { taken.append(e.sequence) }
        }
        #expect(taken == Array(1...40))
        #expect(q.count == 0)
        #expect(q.takeOldest() == nil)
    }

    @Test func aBurstKeepsOnlyTheNewestFourWhilePlaying() {
        var q = InputQueue()
        for newest in UInt32(1)...10 {
            q.receive(newestSequence: newest, commands: Self.message(newest: newest, count: 1), frozen: false)
        }
        #expect(q.count == 4)
        #expect(Self.drain(&q) == [7, 8, 9, 10])
        // Old and repeated messages add nothing.
        q.receive(newestSequence: 9, commands: Self.message(newest: 9, count: 8), frozen: false)
        q.receive(newestSequence: 10, commands: Self.message(newest: 10, count: 8), frozen: false)
        #expect(q.count == 0)
    }

    @Test func aFrozenPlayerKeepsSixtyFourAndAllOfThemAreForwardedNewestFirst() {
        var q = InputQueue()
        for newest in UInt32(1)...70 {
            q.receive(newestSequence: newest, commands: Self.message(newest: newest, count: 1), frozen: true)
        }
        #expect(q.count == 64)
        let forwarded = q.unapplied()
        #expect(forwarded?.newest == 70)
        #expect(forwarded?.commands.map { UInt32($0.aim) } == Array((7...70).reversed()))
        // Only those after the last applied are forwarded.
        q.lastApplied = 60
        #expect(q.unapplied()?.commands.map { UInt32($0.aim) } == Array((61...70).reversed()))
        #expect(Self.drain(&q) == Array(7...70))
    }

    @Test func unfrozenAgainTheQueueShrinksToTheNewestFourAtTheNextInput() {
        var q = InputQueue()
        for newest in UInt32(1)...20 {
            q.receive(newestSequence: newest, commands: Self.message(newest: newest, count: 1), frozen: true)
        }
        #expect(q.takeOldest()?.sequence == 1)
        #expect(q.count == 19)
        // The handoff failed and the player plays on here: the next input trims the backlog.
        q.receive(newestSequence: 21, commands: Self.message(newest: 21, count: 1), frozen: false)
        #expect(Self.drain(&q) == [18, 19, 20, 21])
    }

    @Test func aMessageWithAGapQueuesWhatItCarries() {
        var q = InputQueue()
        q.receive(newestSequence: 2, commands: Self.message(newest: 2, count: 2), frozen: false)
        // The messages of 3...5 lost, 6's carries 6, 5, 4 (3 is gone for good); five queued, the oldest dropped.
        q.receive(newestSequence: 6, commands: Self.message(newest: 6, count: 3), frozen: false)
        #expect(Self.drain(&q) == [2, 4, 5, 6])
    }
}
