/// One pass over a journal directory: the summary, or one player's timeline.
public enum JournalAnalysis {
    /// Reads every journal of `directory` once and summarizes it.
    public static func summary(of directory: String) throws -> JournalSummary {
        var reader = try JournalReader(directory: directory)
        var stats = HandoffStatistics()
        try reader.forEachRecord { stats.add($0) }
        return stats.summary(directory: directory, files: reader.files, malformed: reader.malformed)
    }

    /// Reads every journal of `directory` once and keeps `player`'s records.
    public static func timeline(of player: UInt32, in directory: String) throws -> (PlayerTimeline, MalformedLines) {
        var reader = try JournalReader(directory: directory)
        var timeline = PlayerTimeline(player: player)
        try reader.forEachRecord { timeline.add($0) }
        return (timeline, reader.malformed)
    }
}
