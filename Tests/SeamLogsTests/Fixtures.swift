import Foundation
import SeamTesting

/// Hand-written journals of two zones: a there-and-back handoff of player 1, a rejected and aborted
/// handoff of player 2, an in-doubt handoff of player 1 resolved by resuming, and one malformed line.
enum Fixtures {
    static let west = """
        {"type":"start","zone":"west","tick":0,"ms":1000,"v":1,"map":"duel","tick_rate":20,"coins":20,"capacity":1000}
        {"type":"join","zone":"west","tick":1,"ms":1100,"player":1,"name":"alice","x":3.500,"y":1.500}
        {"type":"standby","zone":"west","tick":2,"ms":1150,"player":1,"epoch":1,"from":"west","to":"east","x":26.600,"y":3.500}
        {"type":"offer","zone":"west","tick":4,"ms":1200,"player":1,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"abc1"}
        {"type":"commit","zone":"west","tick":4,"ms":1205,"player":1,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500}
        {"type":"accept","zone":"west","tick":10,"ms":1502,"player":1,"epoch":3,"from":"east","to":"west","x":29.800,"y":3.500,"digest":"abc2"}
        {"type":"join","zone":"west","tick":11,"ms":1600,"player":2,"name":"bob","x":3.500,"y":1.500}
        {"type":"offer","zone":"west","tick":13,"ms":1700,"player":2,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"abc3"}
        {"type":"abort","zone":"west","tick":13,"ms":1706,"player":2,"epoch":1,"from":"west","to":"east","x":34.300,"y":3.500,"reason":"full"}
        {"type":"offer","zone":"west","tick":20,"ms":2000,"player":1,"epoch":4,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"abc4"}
        {"type":"in_doubt","zone":"west","tick":22,"ms":2100,"player":1,"epoch":4,"from":"west","to":"east","x":34.300,"y":3.500,"reason":"link lost before the answer"}
        {"type":"resolve","zone":"west","tick":120,"ms":7100,"player":1,"epoch":5,"from":"west","to":"east","x":32.000,"y":3.500,"reason":"neighbour declared dead; resumed at a skipped epoch"}
        {"type":"digest","zone":"west","tick":140,"ms":8000,"players":2,"coins_ground":18,"coins_carried":2}
        this is not json
        {"type":"leave","zone":"west","tick":141,"ms":8100,"player":2,"reason":"left"}
        {"type":"digest","zone":"west","tick":160,"ms":9000,"players":1,"coins_ground":19,"coins_carried":1}

        """

    static let east = """
        {"type":"start","zone":"east","tick":0,"ms":1000,"v":1,"map":"duel","tick_rate":20,"coins":20,"capacity":1000}
        {"type":"accept","zone":"east","tick":4,"ms":1203,"player":1,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"abc1"}
        {"type":"offer","zone":"east","tick":10,"ms":1502,"player":1,"epoch":3,"from":"east","to":"west","x":29.800,"y":3.500,"digest":"abc2"}
        {"type":"commit","zone":"east","tick":10,"ms":1510,"player":1,"epoch":3,"from":"east","to":"west","x":29.800,"y":3.500}
        {"type":"reject","zone":"east","tick":13,"ms":1704,"player":2,"epoch":2,"from":"west","to":"east","x":34.300,"y":3.500,"digest":"abc3","reason":"zone is full"}
        {"type":"digest","zone":"east","tick":140,"ms":8000,"players":0,"coins_ground":20,"coins_carried":0}
        {"type":"digest","zone":"east","tick":160,"ms":9000,"players":0,"coins_ground":20,"coins_carried":0}

        """

    /// A fresh directory holding west.jsonl and east.jsonl (and a file that is not a journal).
    static func directory() throws -> String {
        let dir = SeamProcess.temporaryDirectory("logs")
        try west.write(toFile: dir + "/west.jsonl", atomically: true, encoding: .utf8)
        try east.write(toFile: dir + "/east.jsonl", atomically: true, encoding: .utf8)
        try "not a journal\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        return dir
    }
}
