import Foundation
import SeamLogs
import SeamTesting
import Testing

@Suite struct ReaderTests {
    @Test func missingDirectory() {
        #expect(throws: JournalError.directoryMissing("/nonexistent/journal")) {
            try JournalAnalysis.summary(of: "/nonexistent/journal")
        }
        #expect(JournalError.directoryMissing("/x").description.contains("/x"))
    }

    @Test func directoryWithoutJournals() throws {
        let dir = SeamProcess.temporaryDirectory("logs-empty")
        try "x\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: JournalError.noJournals(dir)) { try JournalAnalysis.summary(of: dir) }
    }

    @Test func parsesTypedFields() throws {
        let line = #"{"type":"offer","zone":"west","tick":85,"ms":1795255763250,"player":1048578,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"1d26de8f5192d6e0"}"#
        let r = try #require(RecordParser.parse(line[...]))
        #expect(r.type == "offer" && r.zone == "west" && r.tick == 85 && r.ms == 1_795_255_763_250)
        #expect(r.player == 1_048_578 && r.epoch == 2 && r.from == "west" && r.to == "east")
        #expect(r.x == 34.3 && r.y == 3.5 && r.digest == "1d26de8f5192d6e0" && r.isHandoff)
    }

    @Test func rejectsWhatIsNotARecord() {
        for line in [
            "", "[1,2]", "{", #"{"type":"join"}"#,
            #"{"type":"join","zone":"w","tick":"1","ms":2,"player":1}"#,
            #"{"type":"join","zone":"w","tick":1.5,"ms":2,"player":1}"#,
            #"{"type":"join","zone":"w","tick":true,"ms":2,"player":1}"#,
            #"{"type":"offer","zone":"w","tick":1,"ms":2,"player":1}"#,
            #"{"type":"digest","zone":"w","tick":1,"ms":2}"#,
        ] {
            #expect(RecordParser.parse(line[...]) == nil, "\(line)")
        }
        #expect(RecordParser.parse(#"{"type":"hit","zone":"w","tick":1,"ms":2,"shooter":1}"#[...]) != nil)
    }

    @Test func unterminatedLastLineIsReadOnceButHeldBackWhenFollowing() throws {
        let dir = SeamProcess.temporaryDirectory("logs-partial")
        let path = dir + "/a.jsonl"
        try "one\ntwo".write(toFile: path, atomically: true, encoding: .utf8)
        let once = try #require(LineReader(path: path))
        #expect(once.next().map { String(decoding: $0, as: UTF8.self) } == "one")
        #expect(once.next().map { String(decoding: $0, as: UTF8.self) } == "two")
        #expect(once.next() == nil)
        let follow = try #require(LineReader(path: path, follow: true))
        #expect(follow.next() != nil)
        #expect(follow.next() == nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("-and-more\nthree\n".utf8))
        try handle.close()
        #expect(follow.next().map { String(decoding: $0, as: UTF8.self) } == "two-and-more")
        #expect(follow.next().map { String(decoding: $0, as: UTF8.self) } == "three")
        #expect(follow.lineNumber == 3)
    }

    @Test func followerReturnsNewRecordsAndNewFiles() throws {
        let dir = try Fixtures.directory()
        let follower = try JournalFollower(directory: dir)
        #expect(follower.poll().isEmpty)
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/west.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"leave","zone":"west","tick":200,"ms":9500,"player":1,"reason":"left"}"#.utf8))
        handle.write(Data("\nbroken\n{\"type\":\"join\",\"zone\":\"we".utf8))
        try handle.close()
        try #"{"type":"join","zone":"north","tick":1,"ms":9600,"player":7,"name":"n","x":1.000,"y":1.000}"#
            .appending("\n").write(toFile: dir + "/north.jsonl", atomically: true, encoding: .utf8)
        let records = follower.poll()
        #expect(records.map(\.type) == ["join", "leave"])
        #expect(records.map(\.zone) == ["north", "west"])
        #expect(follower.malformed.count == 1)
        #expect(records[1].followLine.contains("player 1"))
    }
}
